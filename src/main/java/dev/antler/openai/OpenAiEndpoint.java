package dev.antler.openai;

/** The OpenAI-format endpoints the gateway relays, with how each is billed. */
public enum OpenAiEndpoint {
    CHAT("/v1/chat/completions", "chat.completions", Metering.TOKENS),
    COMPLETIONS("/v1/completions", "completions", Metering.TOKENS),
    RESPONSES("/v1/responses", "responses", Metering.TOKENS),
    EMBEDDINGS("/v1/embeddings", "embeddings", Metering.TOKENS),
    IMAGE_GENERATIONS("/v1/images/generations", "images.generations", Metering.IMAGES),
    IMAGE_EDITS("/v1/images/edits", "images.edits", Metering.IMAGES),
    SPEECH("/v1/audio/speech", "audio.speech", Metering.CHARACTERS),
    TRANSCRIPTIONS("/v1/audio/transcriptions", "audio.transcriptions", Metering.AUDIO),
    TRANSLATIONS("/v1/audio/translations", "audio.translations", Metering.AUDIO),
    MODERATIONS("/v1/moderations", "moderations", Metering.CALL);

    private final String path;
    private final String operationName;
    private final Metering metering;

    OpenAiEndpoint(String path, String operationName, Metering metering) {
        this.path = path;
        this.operationName = operationName;
        this.metering = metering;
    }

    public String path() {
        return path;
    }

    public String operationName() {
        return operationName;
    }

    public Metering metering() {
        return metering;
    }

    /** What a request of the endpoint is billed by. */
    public enum Metering {
        /** Tokens from the answer's usage, estimated with a tokenizer when absent. */
        TOKENS,
        /** Images returned (per-image price), plus tokens when the model reports them (gpt-image). */
        IMAGES,
        /** Characters of the request's {@code input} (TTS: the per-million price is per million characters). */
        CHARACTERS,
        /** Seconds of audio or tokens, as the answer reports them. */
        AUDIO,
        /** One call. */
        CALL
    }
}
