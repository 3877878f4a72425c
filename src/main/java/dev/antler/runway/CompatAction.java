package dev.antler.runway;

import java.util.List;

/**
 * The reverse format's create routes ({@code POST /runway/pro/{path}}), with the models each takes and the seconds
 * held when the video's length follows an input video (settled on what was made).
 */
enum CompatAction {
    /** Text or image to video: {@code {prompt, model, ratio, style, image, last_image, options{seconds, motion_vector}}}. */
    GENERATE("generate", List.of("gen4_turbo", "gen4", "gen4.5"), 0),
    /** Restyle a video: {@code {video, model, prompt, options{structure_transformation, flip}}}. */
    VIDEO2VIDEO("video2video", List.of("gen4", "gen4_turbo"), RunwayModels.VIDEO_INPUT_HOLD),
    /** Act-One, a performance from a video onto an image's character: {@code {video, image}}. */
    ACT_ONE("act_one", List.of("act_one"), 30);

    final String path;
    final List<String> models;
    /** The seconds held when the video is as long as its input (0: the client asks them, {@code options.seconds}). */
    final int inputHold;

    CompatAction(String path, List<String> models, int inputHold) {
        this.path = path;
        this.models = models;
        this.inputHold = inputHold;
    }
}
