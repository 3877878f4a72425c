package dev.antler.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.json.Json;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.LeakScanLast;
import dev.antler.testing.OpenApiCheck;
import dev.antler.testing.SuiteAnswers;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * After every other test: each answer of {@code /api/admin/**} the suite received through the harness's client
 * matches {@code /api/openapi.json} — the operation is described, its status listed, and its JSON body shaped as the
 * schema says. Bodies longer than what the suite keeps of an answer are checked for their status only.
 */
@LeakScanLast.RunsLast
class AdminAnswersOpenApiScanTest {

    @Test
    void everyAdminAnswerTheSuiteReceivedMatchesTheDescription() {
        OpenApiCheck check;
        try (GatewayHarness gw = GatewayHarness.start("users: [{ name: scanner, balance: 1 }]\n")) {
            check = new OpenApiCheck(Json.MAPPER.readTree(gw.send(HttpRequest.newBuilder(
                    URI.create(gw.baseUrl() + "/api/openapi.json")).GET().build()).body()));
            // answers of its own, so the scan never runs on nothing
            gw.get("/api/admin/users", GatewayHarness.ADMIN_KEY);
            gw.get("/api/admin/users/424242", GatewayHarness.ADMIN_KEY);
            gw.get("/api/admin/logs/summary?group_by=user", GatewayHarness.ADMIN_KEY);
        }
        List<String> problems = new ArrayList<>();
        Set<String> operations = new TreeSet<>();
        int checked = 0;
        for (SuiteAnswers.Answer answer : SuiteAnswers.answers()) {
            int space = answer.request().indexOf(' ');
            String method = answer.request().substring(0, space);
            String path = answer.request().substring(space + 1);
            if (!path.startsWith("/api/admin/") || method.equals("HEAD") || method.equals("OPTIONS")) {
                continue;
            }
            checked++;
            operations.add(method + " " + path.replaceAll("/\\d+", "/{id}"));
            String body = answer.whole() ? answer.body() : null;
            for (String problem : check.problems(method, path, answer.status(), body)) {
                if (!problems.contains(problem)) {
                    problems.add(problem);
                }
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(3);
        assertThat(problems).as(checked + " admin answers checked, of " + operations).isEmpty();
    }
}
