package dev.antler.kling;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Kling's task actions: the path class ({@code videos} or {@code images}), the models the docs list for it (the
 * first is the default; empty: the action takes no model) and how a task of it is billed.
 */
enum KlingAction {
    TEXT2VIDEO("videos", "text2video", Billing.SECONDS, List.of("kling-v1", "kling-v1-6", "kling-v2-master",
            "kling-v2-1-master", "kling-v2-5-turbo", "kling-v2-6")),
    IMAGE2VIDEO("videos", "image2video", Billing.SECONDS, List.of("kling-v1", "kling-v1-5", "kling-v1-6",
            "kling-v2-master", "kling-v2-1", "kling-v2-1-master", "kling-v2-5-turbo", "kling-v2-6")),
    MULTI_IMAGE2VIDEO("videos", "multi-image2video", Billing.SECONDS, List.of("kling-v1-6")),
    VIDEO_EXTEND("videos", "video-extend", Billing.CALL, List.of()),
    LIP_SYNC("videos", "lip-sync", Billing.CALL, List.of()),
    GENERATIONS("images", "generations", Billing.IMAGES, List.of("kling-v1", "kling-v1-5", "kling-v2",
            "kling-v2-new", "kling-v2-1")),
    KOLORS_VIRTUAL_TRY_ON("images", "kolors-virtual-try-on", Billing.CALL, List.of("kolors-virtual-try-on-v1",
            "kolors-virtual-try-on-v1-5"));

    /** Per second of video asked (settled on the seconds made), per image, or per call. */
    enum Billing { SECONDS, IMAGES, CALL }

    final String kind;
    final String path;
    final Billing billing;
    final List<String> models;

    KlingAction(String kind, String path, Billing billing, List<String> models) {
        this.kind = kind;
        this.path = path;
        this.billing = billing;
        this.models = models;
    }

    /** The upstream's (and, under {@code /kling}, the client's) path of a submit: {@code /v1/videos/text2video}. */
    String submitPath() {
        return "/v1/" + kind + "/" + path;
    }

    /** The model of a task of this action that names none: the docs' default, or {@code kling-<action>}. */
    String defaultModel() {
        return models.isEmpty() ? "kling-" + path : models.get(0);
    }

    static Optional<KlingAction> of(String kind, String path) {
        return Arrays.stream(values()).filter(a -> a.kind.equals(kind) && a.path.equals(path)).findFirst();
    }

    /** The actions of class {@code kind}, for messages: {@code text2video, image2video, ...}. */
    static String names(String kind) {
        return String.join(", ", Arrays.stream(values()).filter(a -> a.kind.equals(kind)).map(a -> a.path).toList());
    }
}
