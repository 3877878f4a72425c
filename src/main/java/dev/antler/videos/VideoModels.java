package dev.antler.videos;

import dev.antler.core.GatewayException;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The models the Videos API knows the rules of: {@code sora-2} and {@code sora-2-pro} and their dated snapshots
 * ({@code sora-2-2025-10-06}), with OpenAI's allowed {@code seconds} and {@code size}. Any other model a channel
 * lists (DeerAPI's {@code veo3}, {@code veo3-fast}) is passed through as sent: its own upstream judges it.
 */
final class VideoModels {

    static final String SORA = "sora-2";
    static final String SORA_PRO = "sora-2-pro";
    static final String DEFAULT_MODEL = SORA;
    static final String DEFAULT_SIZE = "720x1280";
    static final String DEFAULT_SECONDS = "4";
    /** Held for a model of unknown rules that was sent no {@code seconds} (Veo makes 8 s clips). */
    static final long OTHER_DEFAULT_SECONDS = 8;
    static final List<String> SECONDS = List.of("4", "8", "12");
    static final Set<String> HIGH_SIZES = Set.of("1024x1792", "1792x1024");
    private static final List<String> SORA_SIZES = List.of("720x1280", "1280x720");
    private static final List<String> PRO_SIZES = List.of("720x1280", "1280x720", "1024x1792", "1792x1024");
    private static final Pattern SNAPSHOT = Pattern.compile("-\\d{4}-\\d{2}-\\d{2}$");

    private VideoModels() {}

    /** {@code sora-2} or {@code sora-2-pro} for those models and their snapshots; the model itself otherwise. */
    static String base(String model) {
        String base = SNAPSHOT.matcher(model).replaceFirst("");
        return base.equals(SORA) || base.equals(SORA_PRO) ? base : model;
    }

    static boolean known(String model) {
        String base = base(model);
        return base.equals(SORA) || base.equals(SORA_PRO);
    }

    /** The sizes a known model allows. */
    static List<String> sizes(String model) {
        return base(model).equals(SORA_PRO) ? PRO_SIZES : SORA_SIZES;
    }

    /**
     * The seconds to hold for {@code seconds} as sent (null: not sent) to {@code model}: a 400 naming the field
     * when a known model does not allow it.
     */
    static long seconds(String model, String seconds) {
        if (known(model)) {
            String asked = seconds == null ? DEFAULT_SECONDS : seconds;
            if (!SECONDS.contains(asked)) {
                throw GatewayException.badRequest("invalid_seconds", "seconds: " + seconds + " (expected: one of "
                        + String.join(", ", SECONDS) + " for " + model + ")");
            }
            return Long.parseLong(asked);
        }
        if (seconds == null) {
            return OTHER_DEFAULT_SECONDS;
        }
        try {
            long value = Long.parseLong(seconds.trim());
            if (value >= 1 && value <= 600) {
                return value;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw GatewayException.badRequest("invalid_seconds", "seconds: " + seconds
                + " (expected: a whole number of seconds, 1 to 600)");
    }

    /** Checks {@code size} as sent (null: not sent) for a known model; any other model's is passed through. */
    static String size(String model, String size) {
        if (!known(model)) {
            return size;
        }
        String asked = size == null ? DEFAULT_SIZE : size;
        if (!sizes(model).contains(asked)) {
            throw GatewayException.badRequest("invalid_size", "size: " + size + " (expected: one of "
                    + String.join(", ", sizes(model)) + " for " + model + ")");
        }
        return asked;
    }

    /**
     * The price names tried in order: the model at its size, (for a snapshot) its base model at the size, the
     * model, the base model. A size has its own price only where it costs more ({@code sora-2-pro/1792x1024}).
     */
    static List<String> priceKeys(String model, String size) {
        String base = base(model);
        java.util.LinkedHashSet<String> keys = new java.util.LinkedHashSet<>();
        if (size != null) {
            keys.add(model + "/" + size);
            keys.add(base + "/" + size);
        }
        keys.add(model);
        keys.add(base);
        return List.copyOf(keys);
    }
}
