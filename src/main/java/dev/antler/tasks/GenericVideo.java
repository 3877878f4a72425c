package dev.antler.tasks;

import static java.util.Objects.requireNonNull;

import tools.jackson.databind.node.ObjectNode;

/**
 * A request to new-api's generic video route ({@code POST /v1/video/generations}), checked for shape only: what
 * each value may be is its family's to say.
 *
 * @param model    the model asked (required)
 * @param prompt   the description, or null
 * @param image    a reference image (URL or base64) to start from, or null
 * @param duration the seconds asked as sent ({@code 5} and {@code "5"} alike), or null for the family's default
 * @param width    the width asked ({@code size} or {@code width}), or null
 * @param height   the height asked, or null
 * @param fps      the frames per second asked, or null (no family sends it upstream yet)
 * @param seed     the seed asked, or null (no family sends it upstream yet)
 * @param metadata provider-specific fields, merged into the family's own request (an empty object when none)
 */
public record GenericVideo(String model, String prompt, String image, String duration, Integer width,
                           Integer height, Integer fps, Long seed, ObjectNode metadata) {

    public GenericVideo {
        requireNonNull(model, "model");
        requireNonNull(metadata, "metadata");
    }

    /** {@code WxH}, or null when no size was asked. */
    public String size() {
        return width == null ? null : width + "x" + height;
    }
}
