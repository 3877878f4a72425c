package dev.antler.relay;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChannelFaultsTest {

    private static String openAi(String type, String code, String message) {
        return "{\"error\":{\"message\":\"" + message + "\",\"type\":\"" + type + "\",\"param\":null,\"code\":"
                + (code == null ? "null" : "\"" + code + "\"") + "}}";
    }

    @Test
    void keyAndBillingErrorsDisableTheChannel() {
        assertThat(ChannelFaults.disablingReason(429, openAi("insufficient_quota", "insufficient_quota",
                "You exceeded your current quota"))).isEqualTo("auto-disabled: upstream HTTP 429 insufficient_quota");
        assertThat(ChannelFaults.disablingReason(401, openAi("invalid_request_error", "invalid_api_key",
                "Incorrect API key provided"))).isEqualTo("auto-disabled: upstream HTTP 401 invalid_api_key");
        assertThat(ChannelFaults.disablingReason(403, openAi("invalid_request_error", "account_deactivated",
                "This key is associated with a deactivated account"))).endsWith("account_deactivated");
        assertThat(ChannelFaults.disablingReason(401, "{\"type\":\"error\",\"error\":{\"type\":"
                + "\"authentication_error\",\"message\":\"invalid x-api-key\"}}")).endsWith("authentication_error");
        assertThat(ChannelFaults.disablingReason(400, "{\"type\":\"error\",\"error\":{\"type\":"
                + "\"invalid_request_error\",\"message\":\"Your credit balance is too low to access the API.\"}}"))
                .endsWith("credit balance is too low");
        assertThat(ChannelFaults.disablingReason(402, "{\"detail\":\"Insufficient credits\"}"))
                .isEqualTo("auto-disabled: upstream HTTP 402 (the channel's account is out of credit)");
        assertThat(ChannelFaults.disablingReason(401, "<html>Unauthorized</html>"))
                .isEqualTo("auto-disabled: upstream HTTP 401 (the channel key was refused)");
    }

    @Test
    void otherErrorsDoNotEvenWhenTheyEchoTheWords() {
        assertThat(ChannelFaults.disablingReason(429, openAi("requests", "rate_limit_exceeded", "Rate limit"))).isNull();
        assertThat(ChannelFaults.disablingReason(500, openAi("server_error", null, "insufficient_quota"))).isNull();
        assertThat(ChannelFaults.disablingReason(400, openAi("invalid_request_error", null,
                "Invalid model 'insufficient_quota invalid_api_key Your credit balance is too low'"))).isNull();
        assertThat(ChannelFaults.disablingReason(503, "garbage insufficient_quota")).isNull();
        assertThat(ChannelFaults.disablingReason(403, null)).isNull();
    }
}
