package dev.antler.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import dev.antler.http.RequestIds;
import java.util.Objects;
import org.slf4j.MDC;
import org.slf4j.Marker;

/**
 * Puts the id of the request being served ({@link RequestIds#current()}) into the MDC as {@code request_id}
 * before each log call, and takes it out outside a request, so an event-loop thread that serves many requests
 * never lends one request's id to another's line. It decides nothing.
 */
final class RequestIdFilter extends TurboFilter {

    static final String KEY = "request_id";

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
                              Throwable t) {
        String id = RequestIds.current();
        if (id == null) {
            if (MDC.get(KEY) != null) {
                MDC.remove(KEY);
            }
        } else if (!Objects.equals(id, MDC.get(KEY))) {
            MDC.put(KEY, id);
        }
        return FilterReply.NEUTRAL;
    }
}
