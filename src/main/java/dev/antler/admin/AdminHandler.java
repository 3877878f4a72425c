package dev.antler.admin;

import io.vertx.core.Future;

/** One admin endpoint. Runs on the event loop: store work goes through {@link AdminCall#blocking}. */
@FunctionalInterface
public interface AdminHandler {

    Future<Reply> handle(AdminCall call);
}
