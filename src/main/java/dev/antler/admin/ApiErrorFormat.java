package dev.antler.admin;

import dev.antler.core.GatewayException;
import dev.antler.http.ErrorFormat;
import io.vertx.core.buffer.Buffer;
import java.util.Locale;
import java.util.function.Function;
import tools.jackson.databind.node.ObjectNode;

/**
 * The envelope of Antler's own APIs: {@code {"error":{"message","type","code","request_id"}}}. The message is left
 * as written ({@code name: value (expected: ...)}) so a script or a page can show it as is; {@code code} is the
 * specific reason. The rule for {@code type}: it is what the API's callers branch on. Admin scripts branch on the
 * broad kind ({@code invalid_request}, {@code authentication}, {@code not_found}, ...), so there it is the error's
 * kind; the console's pages act on the specific reason ({@code invalid_credentials}, {@code csrf},
 * {@code not_signed_in}, {@code too_many_sign_ins}, ...), so there it is the code itself.
 */
public enum ApiErrorFormat implements ErrorFormat {

    /** {@code /api/admin/} and {@code /api/openapi.json}: type is the error's kind. */
    ADMIN(error -> error.kind().name().toLowerCase(Locale.ROOT)),
    /** {@code /api/session}, {@code /api/signup} and {@code /api/user/}: type is the code. */
    CONSOLE(GatewayException::code);

    private final Function<GatewayException, String> type;

    ApiErrorFormat(Function<GatewayException, String> type) {
        this.type = type;
    }

    @Override
    public Buffer render(GatewayException error, String requestId) {
        ObjectNode root = AdminJson.object();
        ObjectNode body = root.putObject("error");
        body.put("message", error.getMessage());
        body.put("type", type.apply(error));
        body.put("code", error.code());
        body.put("request_id", requestId);
        return Buffer.buffer(AdminJson.bytes(root));
    }

    /** These APIs never stream; an error is always a whole body. */
    @Override
    public Buffer renderStreamEvent(GatewayException error, String requestId) {
        return render(error, requestId);
    }
}
