package dev.antler.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.console.SessionAdmission;
import dev.antler.console.SessionCookie;
import dev.antler.json.Json;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import tools.jackson.databind.JsonNode;

/** A browser's view of the console API: one session cookie and its CSRF token, sent as a page would. */
public final class ConsoleClient {

    private final GatewayHarness gw;
    public String cookie;
    public String csrf;

    public ConsoleClient(GatewayHarness gw) {
        this.gw = gw;
    }

    /** Signs in with {@code json} ({"admin_key"} or {"username","password"}); keeps the cookie and token. */
    public JsonNode signIn(String json) {
        HttpResponse<String> answer = call("POST", "/api/session", json);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        cookie = cookieValue(answer);
        JsonNode body = Json.MAPPER.readTree(answer.body());
        csrf = body.path("csrf_token").asString();
        return body;
    }

    public static ConsoleClient admin(GatewayHarness gw) {
        ConsoleClient client = new ConsoleClient(gw);
        client.signIn("{\"admin_key\":\"" + GatewayHarness.ADMIN_KEY + "\"}");
        return client;
    }

    public static ConsoleClient user(GatewayHarness gw, String name, String password) {
        ConsoleClient client = new ConsoleClient(gw);
        client.signIn("{\"username\":\"" + name + "\",\"password\":\"" + password + "\"}");
        return client;
    }

    /** With the session cookie and, on state changes, the CSRF token. */
    public HttpResponse<String> call(String method, String path, String json) {
        return send(method, path, json, csrf);
    }

    /** With the session cookie and the given CSRF header (null: none). */
    public HttpResponse<String> send(String method, String path, String json, String csrfHeader) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gw.baseUrl() + path));
        if (cookie != null) {
            request.header("Cookie", SessionCookie.NAME + "=" + cookie);
        }
        if (csrfHeader != null && !method.equals("GET")) {
            request.header(SessionAdmission.CSRF_HEADER, csrfHeader);
        }
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        return gw.send(request.build());
    }

    public JsonNode json(String method, String path, String body, int expectedStatus) {
        HttpResponse<String> answer = call(method, path, body);
        assertThat(answer.statusCode()).as(method + " " + path + ": " + answer.body()).isEqualTo(expectedStatus);
        return answer.body().isEmpty() ? null : Json.MAPPER.readTree(answer.body());
    }

    public static String setCookie(HttpResponse<String> answer) {
        return answer.headers().firstValue("Set-Cookie").orElseThrow();
    }

    public static String cookieValue(HttpResponse<String> answer) {
        String header = setCookie(answer);
        return header.substring(header.indexOf('=') + 1, header.indexOf(';'));
    }

    public static String errorType(HttpResponse<String> answer) {
        return Json.MAPPER.readTree(answer.body()).at("/error/type").asString();
    }
}
