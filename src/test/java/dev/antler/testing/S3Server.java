package dev.antler.testing;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.TransientApiMetadata;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.options.ListContainerOptions;

/**
 * A real S3 server for the tests: S3Proxy (Jetty, the S3 REST API, SigV4 checked against one access key) over an
 * in-memory store (or a directory, for large objects), on a port of its own, with one bucket. The test reads the
 * bucket directly to see what the gateway stored, and stops the server when done.
 */
public final class S3Server implements AutoCloseable {

    public static final String BUCKET = "antler-mirror";
    public static final String ACCESS_KEY = "AKIAANTLERTEST0001";
    public static final String SECRET_KEY = "s3-secret-antler-test-0123456789abcdef";

    private final BlobStoreContext context;
    private final S3Proxy proxy;

    private S3Server(BlobStoreContext context, S3Proxy proxy) {
        this.context = context;
        this.proxy = proxy;
    }

    /** A server keeping its objects in memory. */
    public static S3Server start() {
        return start(ContextBuilder.newBuilder(new TransientApiMetadata()));
    }

    /** A server keeping its objects in files under {@code directory} (not on the test's heap). */
    public static S3Server startOnDisk(java.nio.file.Path directory) {
        java.util.Properties properties = new java.util.Properties();
        properties.setProperty("jclouds.filesystem.basedir", directory.toString());
        return start(ContextBuilder.newBuilder(new org.jclouds.filesystem.FilesystemApiMetadata())
                .overrides(properties));
    }

    private static S3Server start(ContextBuilder builder) {
        SuiteSecrets.record(SECRET_KEY);
        BlobStoreContext context = builder.credentials("local", "local").build(BlobStoreContext.class);
        context.getBlobStore().createContainerInLocation(null, BUCKET);
        S3Proxy proxy = S3Proxy.builder().blobStore(context.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
        try {
            proxy.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!"STARTED".equals(proxy.getState())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
                }
                Thread.sleep(10);
            }
        } catch (Exception e) {
            context.close();
            throw new IllegalStateException(e);
        }
        return new S3Server(context, proxy);
    }

    public String endpoint() {
        return "http://127.0.0.1:" + proxy.getPort();
    }

    public int port() {
        return proxy.getPort();
    }

    /** The {@code mirror.s3} section for this server, with its keys. */
    public String yaml() {
        return yaml(SECRET_KEY);
    }

    /** The {@code mirror.s3} section for this server, with {@code secret} as the secret key. */
    public String yaml(String secret) {
        return "{ endpoint: \"%s\", bucket: %s, path_style: true, access_key: %s, secret_key: \"%s\" }"
                .formatted(endpoint(), BUCKET, ACCESS_KEY, secret);
    }

    /** The {@code mirror.s3} section for this server, its keys given as {@code ${S3_ACCESS}} / {@code ${S3_SECRET}}. */
    public String yamlFromEnv() {
        return "{ endpoint: \"%s\", bucket: %s, path_style: true, access_key: \"${S3_ACCESS}\", secret_key: \"${S3_SECRET}\" }"
                .formatted(endpoint(), BUCKET);
    }

    /** The environment {@link #yamlFromEnv()} refers to, with {@code secret} as the secret key. */
    public static Map<String, String> env(String secret) {
        SuiteSecrets.record(secret);
        return Map.of("S3_ACCESS", ACCESS_KEY, "S3_SECRET", secret);
    }

    public BlobStore blobs() {
        return context.getBlobStore();
    }

    /** The keys of the objects in the bucket. */
    public List<String> keys() {
        return blobs().list(BUCKET, ListContainerOptions.Builder.recursive()).stream()
                .map(StorageMetadata::getName).sorted().toList();
    }

    /** Deletes every object in the bucket. */
    public void clear() {
        keys().forEach(key -> blobs().removeBlob(BUCKET, key));
    }

    /** The bytes of the object {@code key}. */
    public byte[] bytes(String key) throws java.io.IOException {
        try (var in = blobs().getBlob(BUCKET, key).getPayload().openStream()) {
            return in.readAllBytes();
        }
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            context.close();
        }
    }
}
