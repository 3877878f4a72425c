package dev.antler.console.api;

import dev.antler.admin.AdminJson;
import dev.antler.core.GatewayException;
import dev.antler.http.ErrorFormat;
import io.vertx.core.buffer.Buffer;
import tools.jackson.databind.node.ObjectNode;

/**
 * The console APIs' envelope ({@code /api/session}, {@code /api/user/}, {@code /api/signup}):
 * {@code {"error":{"type","message","code","request_id"}}}, where type (and code, the same) is the specific reason a page acts on
 * ({@code invalid_credentials}, {@code csrf}, {@code not_signed_in}, {@code too_many_sign_ins}, ...).
 */
public final class ConsoleErrorFormat implements ErrorFormat {

    public static final ConsoleErrorFormat INSTANCE = new ConsoleErrorFormat();

    private ConsoleErrorFormat() {}

    @Override
    public Buffer render(GatewayException error, String requestId) {
        ObjectNode root = AdminJson.object();
        ObjectNode body = root.putObject("error");
        body.put("type", error.code());
        body.put("message", error.getMessage());
        body.put("code", error.code());
        body.put("request_id", requestId);
        return Buffer.buffer(AdminJson.bytes(root));
    }

    @Override
    public Buffer renderStreamEvent(GatewayException error, String requestId) {
        return render(error, requestId);
    }
}
