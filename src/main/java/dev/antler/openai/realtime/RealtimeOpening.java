package dev.antler.openai.realtime;

import dev.antler.accounts.Principal;
import dev.antler.billing.Hold;
import dev.antler.limits.Admission;
import dev.antler.relay.AttemptLog;
import dev.antler.relay.RelayServices;
import dev.antler.routing.Channel;

/** What a session starts with: who opened it, on which channel, its meter, its first hold and its admission. */
record RealtimeOpening(RelayServices services, String requestId, String endpoint, String model, Principal principal,
                       Channel channel, RealtimeMeter meter, Hold hold, Admission admission, RealtimeTimeouts timeouts,
                       AttemptLog attempts, Long connectMs) {}
