package dev.antler.relay;

import java.util.regex.Pattern;

/** Masks anything that looks like an API key in text that may reach a client or a log. */
public final class KeyMasker {

    private static final Pattern KEY_LIKE = Pattern.compile(
            "(sk|pk|rk|key|sess)-[A-Za-z0-9_\\-*.]{6,}|(?i)(bearer\\s+)[A-Za-z0-9_\\-.]{8,}");

    private KeyMasker() {}

    public static String mask(String text) {
        if (text == null) {
            return null;
        }
        return KEY_LIKE.matcher(text).replaceAll(m -> m.group(2) != null ? m.group(2) + "***" : m.group(1) + "-***");
    }
}
