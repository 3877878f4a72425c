package dev.antler.recraft;

/**
 * A Recraft request's fields, read alike from a JSON body and from a multipart form, so one set of rules
 * checks both. Values are text: a JSON number or boolean as written, a form field as sent.
 */
interface RecraftFields {

    /**
     * A single value as text; null when absent, JSON {@code null} or empty. A 400 when it is not a single value
     * (a JSON object or array, a form field sent twice or as a file).
     */
    String scalar(String name);

    /** Whether {@code name} is given with a value (not null, not empty). */
    boolean given(String name);

    /** Checks that the input image(s) of {@code input} are given, within Recraft's size limit; a 400 (413) if not. */
    void requireImages(RecraftEndpoint.Input input);

    /** Recraft's limit on an input image. */
    long MAX_IMAGE_BYTES = 10L * 1024 * 1024;

    /** How an input image may be given, for messages. */
    String IMAGE_FILE = "an image file (PNG, JPG, WEBP or SVG) of at most 10 MB";
    String IMAGE_URL = "the image's http(s) URL or a data: URL";
}
