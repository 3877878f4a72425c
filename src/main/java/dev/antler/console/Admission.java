package dev.antler.console;

import dev.antler.http.Exchange;
import io.vertx.core.Future;

/** Decides who a request comes from, or fails it (401 not signed in, 403 not allowed, CSRF). */
@FunctionalInterface
public interface Admission {

    Future<Caller> admit(Exchange exchange);
}
