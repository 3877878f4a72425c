package dev.antler.admin;

import static dev.antler.admin.AdminClient.badRequest;
import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.testing.GatewayHarness;
import dev.antler.testing.StoreSeeder;
import dev.antler.testing.StoreSeeder.Seeded;
import dev.antler.testing.StoreSeeder.Sizes;
import dev.antler.testing.StoreView;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The usage log's pages by cursor against a seeded store, and the seeded store's own consistency. */
class LogPagingTest {

    private static GatewayHarness gw;
    private static AdminClient client;
    private static Seeded seeded;

    @BeforeAll
    static void start() {
        gw = GatewayHarness.start("");
        client = new AdminClient(gw);
        seeded = StoreSeeder.seed(gw.gateway().database(), new Sizes(4, 9, 1200, 3), message -> {});
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void seededBalancesEqualTheirLedgerAndUsedTotalsTheirUsageRows() {
        StoreView store = new StoreView(gw);
        for (long id = seeded.firstUserId(); id < seeded.firstUserId() + 4; id++) {
            JsonNode user = client.adminJson("GET", "/api/admin/users/" + id, null);
            String name = user.path("name").asString();
            assertThat(store.balance(name)).as(name).isEqualTo(store.ledgerSum(name));
            JsonNode summary = client.adminJson("GET", "/api/admin/logs/summary?user_id=" + id, null);
            assertThat(store.used(name)).as(name).isEqualTo(AdminClient.usd(summary.path("total"), "cost")
                    .movePointRight(9).longValueExact());
        }
    }

    @Test
    void cursorPagesWalkTheLogInTheSameOrderAsOneBigPage() {
        long user = seeded.firstUserId();
        List<String> whole = requestIds(client.adminJson("GET", "/api/admin/logs?limit=1000&user_id=" + user, null));
        assertThat(whole).hasSizeGreaterThan(100).doesNotHaveDuplicates();

        List<String> walked = new ArrayList<>();
        String path = "/api/admin/logs?limit=37&user_id=" + user;
        JsonNode page = client.adminJson("GET", path, null);
        while (true) {
            walked.addAll(requestIds(page));
            if (page.path("next_cursor").isNull()) {
                break;
            }
            assertThat(page.path("data")).hasSize(37);
            page = client.adminJson("GET", path + "&cursor=" + page.path("next_cursor").asString(), null);
        }
        assertThat(walked).isEqualTo(whole);
    }

    @Test
    void aCursorThatIsNotOneIs400() {
        assertThat(badRequest(client.admin("GET", "/api/admin/logs?cursor=yesterday", null)))
                .isEqualTo("cursor: yesterday (expected: the next_cursor of an earlier page)");
        assertThat(badRequest(client.admin("GET", "/api/admin/logs?cursor=1_2&offset=5", null)))
                .isEqualTo("offset: 5 (expected: 0 or absent with a cursor)");
    }

    private static List<String> requestIds(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("data").forEach(row -> ids.add(row.path("request_id").asString()));
        return ids;
    }
}
