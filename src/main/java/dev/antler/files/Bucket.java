package dev.antler.files;

import dev.antler.config.S3Config;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.presigner.PresignedRequest;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The AWS SDK's view of the {@code mirror.s3} bucket: URLs presigned for the bytes (a GET, a PUT), which the
 * gateway's own Vert.x client then sends, and the few small metadata calls (HEAD, LIST, DELETE), made by the SDK's
 * JDK-based client on a blocking thread. The only class that names the SDK: it is loaded only with a bucket
 * configured. Keys are the objects' full names (prefix included).
 */
final class Bucket {

    /** A presigned request: its URL and the headers it must be sent with. */
    record Signed(String url, Map<String, String> headers) {}

    /** An object: its key, size and when it was stored. */
    record Entry(String key, long size, java.time.Instant storedAt) {}

    private static final Duration GET_VALIDITY = Duration.ofMinutes(5);

    private final S3Config config;
    private final S3Client client;
    private final S3Presigner presigner;
    private final Duration putValidity;

    private Bucket(S3Config config, S3Client client, S3Presigner presigner, Duration putValidity) {
        this.config = config;
        this.client = client;
        this.presigner = presigner;
        this.putValidity = putValidity;
    }

    /** The SDK's client and presigner for {@code config} (no request is made); a PUT URL stays valid for {@code putValidity}. */
    static Bucket open(S3Config config, Duration putValidity) {
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(config.accessKey(), config.secretKey()));
        Region region = Region.of(config.region());
        // Checksums only where S3 requires them: several S3-compatible servers refuse the newer default ones.
        var client = S3Client.builder().region(region).credentialsProvider(credentials)
                .forcePathStyle(config.pathStyle())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(30)).build())
                .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(60)));
        var presigner = S3Presigner.builder().region(region).credentialsProvider(credentials)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(config.pathStyle()).build());
        if (config.endpoint() != null) {
            client.endpointOverride(URI.create(config.endpoint()));
            presigner.endpointOverride(URI.create(config.endpoint()));
        }
        return new Bucket(config, client.build(), presigner.build(), putValidity);
    }

    String key(String name) {
        return config.prefix() + name;
    }

    /** A GET of the object {@code key} (a Range may be added: it is not signed). */
    Signed get(String key) {
        return signed(presigner.presignGetObject(p -> p.signatureDuration(GET_VALIDITY)
                .getObjectRequest(r -> r.bucket(config.bucket()).key(key))));
    }

    /** A PUT of the object {@code key} with {@code contentType} (Content-Length must be added). */
    Signed put(String key, String contentType) {
        return signed(presigner.presignPutObject(p -> p.signatureDuration(putValidity)
                .putObjectRequest(r -> r.bucket(config.bucket()).key(key).contentType(contentType))));
    }

    private static Signed signed(PresignedRequest request) {
        Map<String, String> headers = new java.util.HashMap<>();
        request.signedHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("host")) {
                headers.put(name, String.join(",", values));
            }
        });
        return new Signed(request.url().toString(), Map.copyOf(headers));
    }

    /** The object {@code key}, or empty when there is none. */
    Optional<Entry> head(String key) {
        try {
            HeadObjectResponse head = client.headObject(r -> r.bucket(config.bucket()).key(key));
            return Optional.of(new Entry(key, head.contentLength(), head.lastModified()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw unavailable("HEAD", e);
        } catch (SdkException e) {
            throw unavailable("HEAD", e);
        }
    }

    /** Every object whose key starts with {@code prefix}. */
    List<Entry> list(String prefix) {
        try {
            List<Entry> entries = new ArrayList<>();
            for (S3Object object : client.listObjectsV2Paginator(r -> r.bucket(config.bucket()).prefix(prefix))
                    .contents()) {
                entries.add(new Entry(object.key(), object.size(), object.lastModified()));
            }
            return entries;
        } catch (SdkException e) {
            throw unavailable("LIST", e);
        }
    }

    /** Deletes the object {@code key} (one by one: not every S3-compatible server has the batch delete). */
    void delete(String key) {
        try {
            client.deleteObject(r -> r.bucket(config.bucket()).key(key));
        } catch (SdkException e) {
            throw unavailable("DELETE", e);
        }
    }

    /** Whether the bucket answers with these keys: a reason why not, or empty. */
    Optional<String> check() {
        try {
            client.headBucket(r -> r.bucket(config.bucket()));
            return Optional.empty();
        } catch (SdkException e) {
            return Optional.of(reason(e));
        }
    }

    private static FileStore.StoreUnavailable unavailable(String call, SdkException e) {
        return new FileStore.StoreUnavailable("bucket " + call + ": " + reason(e));
    }

    /** The bucket's status and error code, or the client's failure; the SDK's messages never carry the keys. */
    private static String reason(SdkException e) {
        if (e instanceof S3Exception s3) {
            String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
            return "HTTP " + s3.statusCode() + (code == null ? "" : " " + code);
        }
        return e.getMessage();
    }
}
