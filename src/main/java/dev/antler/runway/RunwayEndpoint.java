package dev.antler.runway;

import java.util.Arrays;
import java.util.Optional;

/** Runway's create routes the gateway serves, by their path segment ({@code POST /v1/{path}}). */
enum RunwayEndpoint {
    IMAGE_TO_VIDEO("image_to_video"),
    TEXT_TO_VIDEO("text_to_video"),
    VIDEO_TO_VIDEO("video_to_video");

    final String path;

    RunwayEndpoint(String path) {
        this.path = path;
    }

    static Optional<RunwayEndpoint> of(String path) {
        return Arrays.stream(values()).filter(e -> e.path.equals(path)).findFirst();
    }
}
