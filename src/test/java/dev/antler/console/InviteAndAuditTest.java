package dev.antler.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.testing.ConsoleClient;
import dev.antler.testing.GatewayHarness;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Sign-up by invite (open sign-up off by default), and the audit rows of admin actions. */
class InviteAndAuditTest {

    private static GatewayHarness gw;
    private static ConsoleClient operator;

    @BeforeAll
    static void start() {
        gw = GatewayHarness.start("""
                groups:
                  vip: { multiplier: 0.8 }
                """);
        operator = ConsoleClient.admin(gw);
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void anInviteCreatesOneAccountInItsGroupAndSignUpIsOtherwiseClosed() {
        HttpResponse<String> closed = new ConsoleClient(gw).call("POST", "/api/signup",
                "{\"username\":\"walk-in\",\"password\":\"walk-in-password\"}");
        assertThat(closed.statusCode()).isEqualTo(403);
        assertThat(ConsoleClient.errorType(closed)).isEqualTo("signup_closed");

        JsonNode invite = operator.json("POST", "/api/admin/invites", "{\"group\":\"vip\"}", 201);
        String token = invite.path("token").asString();
        assertThat(invite.path("url").asString()).startsWith(gw.baseUrl()).endsWith("/console/signup?invite=" + token);
        JsonNode created = new ConsoleClient(gw).json("POST", "/api/signup",
                "{\"username\":\"invited-ann\",\"password\":\"ann-password-1\",\"invite\":\"" + token + "\"}", 201);
        assertThat(created.path("group").asString()).isEqualTo("vip");
        ConsoleClient ann = ConsoleClient.user(gw, "invited-ann", "ann-password-1");
        assertThat(ann.json("GET", "/api/user/me", null, 200).path("balance_nano").asLong()).isZero();

        HttpResponse<String> reused = new ConsoleClient(gw).call("POST", "/api/signup",
                "{\"username\":\"invited-ben\",\"password\":\"ben-password-1\",\"invite\":\"" + token + "\"}");
        assertThat(reused.statusCode()).isEqualTo(403);
        assertThat(ConsoleClient.errorType(reused)).isEqualTo("invite_invalid");

        JsonNode listed = operator.json("GET", "/api/admin/invites", null, 200);
        assertThat(listed.toString()).doesNotContain(token);
        assertThat(listed.path("data").get(0).path("used_by").asLong()).isEqualTo(created.path("id").asLong());

        JsonNode revocable = operator.json("POST", "/api/admin/invites", "{}", 201);
        operator.json("DELETE", "/api/admin/invites/" + revocable.path("id").asLong(), null, 200);
        assertThat(new ConsoleClient(gw).call("POST", "/api/signup", "{\"username\":\"invited-cal\",\"password\":"
                + "\"cal-password-1\",\"invite\":\"" + revocable.path("token").asString() + "\"}").statusCode()).isEqualTo(403);
        // a taken name gives the invite back
        JsonNode third = operator.json("POST", "/api/admin/invites", "{}", 201);
        HttpResponse<String> taken = new ConsoleClient(gw).call("POST", "/api/signup", "{\"username\":\"invited-ann\","
                + "\"password\":\"x-password-1\",\"invite\":\"" + third.path("token").asString() + "\"}");
        assertThat(taken.statusCode()).isEqualTo(409);
        new ConsoleClient(gw).json("POST", "/api/signup", "{\"username\":\"invited-dee\",\"password\":\"dee-password-1\","
                + "\"invite\":\"" + third.path("token").asString() + "\"}", 201);
    }

    @Test
    void everyAdminActionLeavesAnAuditRowNamingWhoWhatAndTarget() {
        long id = operator.json("POST", "/api/admin/users", "{\"name\":\"audited\",\"password\":\"audited-password\","
                + "\"is_admin\":true}", 201).path("id").asLong();
        operator.json("PATCH", "/api/admin/users/" + id, "{\"group\":\"vip\"}", 200);
        ConsoleClient adminUser = ConsoleClient.user(gw, "audited", "audited-password");
        adminUser.json("POST", "/api/admin/users/" + id + "/topup", "{\"amount\":2,\"note\":\"audit\"}", 200);
        HttpResponse<String> refused = adminUser.call("PATCH", "/api/admin/users/" + id, "{\"group\":\"nope\"}");
        assertThat(refused.statusCode()).isEqualTo(400);
        operator.json("GET", "/api/admin/users", null, 200); // reads are not audited

        JsonNode rows = operator.json("GET", "/api/admin/audit?limit=4", null, 200).path("data");
        assertThat(rows).hasSize(4);
        assertThat(rows.get(0).path("actor").asString()).isEqualTo("user:" + id);
        assertThat(rows.get(0).path("action").asString()).isEqualTo("PATCH users/{id}");
        assertThat(rows.get(0).path("target").asString()).isEqualTo(Long.toString(id));
        assertThat(rows.get(0).path("status").asInt()).isEqualTo(400);
        assertThat(rows.get(1).path("action").asString()).isEqualTo("POST users/{id}/topup");
        assertThat(rows.get(1).path("actor").asString()).isEqualTo("user:" + id);
        assertThat(rows.get(2).path("actor").asString()).isEqualTo("admin_key");
        assertThat(rows.get(2).path("action").asString()).isEqualTo("PATCH users/{id}");
        assertThat(rows.get(3).path("action").asString()).isEqualTo("POST users");
        assertThat(rows.get(3).path("status").asInt()).isEqualTo(201);
        assertThat(rows.get(3).path("time").asString()).endsWith("Z");
        long before = rows.get(3).path("id").asLong();
        JsonNode older = operator.json("GET", "/api/admin/audit?before_id=" + before, null, 200).path("data");
        older.forEach(r -> assertThat(r.path("id").asLong()).isLessThan(before));
        assertThat(operator.json("GET", "/api/admin/audit", null, 200).toString()).doesNotContain("audited-password");
    }
}
