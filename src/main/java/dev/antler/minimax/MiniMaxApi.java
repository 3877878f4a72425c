package dev.antler.minimax;

/**
 * MiniMax's two video APIs: V1 ({@code /v1/video_generation}, the Hailuo and 01 models; results through
 * {@code files/retrieve}) and V2 ({@code /v2/video_generation}, {@code MiniMax-H3}: a {@code content[]} body, the
 * result URL and the billed seconds in the query's {@code task}).
 */
enum MiniMaxApi {
    V1("/v1/video_generation", "v1"),
    V2("/v2/video_generation", "v2");

    /** The upstream's submit path. */
    final String submitPath;
    /** The task's mode, as stored. */
    final String mode;

    MiniMaxApi(String submitPath, String mode) {
        this.submitPath = submitPath;
        this.mode = mode;
    }

    static MiniMaxApi ofMode(String mode) {
        return V2.mode.equals(mode) ? V2 : V1;
    }
}
