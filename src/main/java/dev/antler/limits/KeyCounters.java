package dev.antler.limits;

/** What one key used recently: requests and tokens per minute, and requests in flight. Lock on the instance. */
final class KeyCounters {

    final RateWindow requests = new RateWindow();
    final RateWindow tokens = new RateWindow();
    int inFlight;
}
