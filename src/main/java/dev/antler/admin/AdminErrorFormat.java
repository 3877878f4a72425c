package dev.antler.admin;

import dev.antler.core.GatewayException;
import dev.antler.http.ErrorFormat;
import io.vertx.core.buffer.Buffer;
import java.util.Locale;
import tools.jackson.databind.node.ObjectNode;

/**
 * The admin API's envelope: {@code {"error":{"message","type","code","request_id"}}}. The message is
 * left as written ({@code name: value (expected: ...)}) so scripts can show it as is.
 */
public final class AdminErrorFormat implements ErrorFormat {

    public static final AdminErrorFormat INSTANCE = new AdminErrorFormat();

    private AdminErrorFormat() {}

    @Override
    public Buffer render(GatewayException error, String requestId) {
        ObjectNode root = AdminJson.object();
        ObjectNode body = root.putObject("error");
        body.put("message", error.getMessage());
        body.put("type", error.kind().name().toLowerCase(Locale.ROOT));
        body.put("code", error.code());
        body.put("request_id", requestId);
        return Buffer.buffer(AdminJson.bytes(root));
    }

    /** The admin API never streams; an error is always a whole body. */
    @Override
    public Buffer renderStreamEvent(GatewayException error, String requestId) {
        return render(error, requestId);
    }
}
