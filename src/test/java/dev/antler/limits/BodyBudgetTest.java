package dev.antler.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antler.core.GatewayException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BodyBudgetTest {

    @Test
    void aLeaseReservesUpToTheBudgetAndGivesItAllBackOnce() {
        BodyBudget budget = new BodyBudget(100);
        BodyBudget.Lease first = budget.lease();
        BodyBudget.Lease second = budget.lease();

        assertThat(first.reserveUpTo(60)).isTrue();
        assertThat(first.reserveUpTo(40)).isTrue(); // already covered: nothing more taken
        assertThat(budget.inUse()).isEqualTo(60);
        assertThat(second.reserveUpTo(50)).isFalse(); // would pass 100
        assertThat(second.reserved()).isZero();
        assertThat(budget.inUse()).isEqualTo(60);
        assertThat(second.reserveUpTo(40)).isTrue();
        assertThat(budget.inUse()).isEqualTo(100);

        first.release();
        first.release();
        assertThat(budget.inUse()).isEqualTo(40);
        second.release();
        assertThat(budget.inUse()).isZero();
    }

    @Test
    void aLeaseGrowsChunkByChunkForABodyOfUnknownLength() {
        BodyBudget budget = new BodyBudget(1000);
        BodyBudget.Lease lease = budget.lease();
        for (int size = 100; size <= 1000; size += 100) {
            assertThat(lease.reserveUpTo(size)).isTrue();
        }
        assertThat(lease.reserveUpTo(1001)).isFalse();
        assertThat(lease.reserved()).isEqualTo(1000);
        lease.release();
        assertThat(budget.inUse()).isZero();
    }

    @Test
    void aReleasedLeaseReservesNothingMore() {
        BodyBudget budget = new BodyBudget(100);
        BodyBudget.Lease lease = budget.lease();
        lease.release();
        assertThat(lease.reserveUpTo(10)).isFalse();
        assertThat(budget.inUse()).isZero();
    }

    @Test
    void concurrentLeasesNeverHoldMoreThanTheBudgetAndReturnToZero() throws Exception {
        BodyBudget budget = new BodyBudget(10_000);
        AtomicInteger over = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 20_000; i++) {
                    BodyBudget.Lease lease = budget.lease();
                    for (int size = 500; size <= 2000 && lease.reserveUpTo(size); size += 500) {
                        if (budget.inUse() > budget.capacity()) {
                            over.incrementAndGet();
                        }
                    }
                    lease.release();
                }
            }));
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(over).hasValue(0);
        assertThat(budget.inUse()).isZero();
    }

    @Test
    void theRefusalIsA503NamingTheSetting() {
        BodyBudget budget = new BodyBudget(100);
        GatewayException refusal = budget.exhausted(50);
        assertThat(refusal.status()).isEqualTo(503);
        assertThat(refusal.getMessage()).contains("server.max_inflight_body_bytes").contains("expected: at most 100");
        assertThatThrownBy(() -> new BodyBudget(0)).hasMessageContaining("capacity: 0 (expected: > 0)");
    }
}
