package dev.antler.images;

import dev.antler.relay.ClientRequest;
import dev.antler.relay.Operation;
import java.util.List;

/**
 * How one image family takes OpenAI's {@code POST /v1/images/generations}: the models it claims, how an OpenAI
 * body becomes the family's own request (run by the family's own operation, so it is routed, held, billed and
 * logged exactly as the native call), and how the family's answer reads as images. An async family's own
 * operation is its {@code TaskSubmit}: the request waits for the task and answers with its result links. A family registers its dialect
 * from its {@code mount} ({@link ImageDialects#add}); the OpenAI family never names one.
 */
public interface ImageDialect {

    /** Whether the family takes {@code model} (as an OpenAI client names it). */
    boolean claims(String model);

    /**
     * The family's own operation and the request it is to read for {@code ask} ({@code client}: the OpenAI request,
     * for its headers and address); a 400 naming the OpenAI field when a value cannot be the family's.
     */
    Own<?> own(ImageAsk ask, ClientRequest client);

    /** The images of the family's successful answer {@code body}, in order (a synchronous family). */
    default List<Image> images(byte[] body) {
        return List.of();
    }

    /**
     * Where a client fetches task {@code taskId} of an async family itself, e.g. {@code GET /flux/v1/get_result?id=…}:
     * named in the 504 when the image was not made within {@code tasks.image_wait_seconds}.
     */
    default String fetchHint(String taskId) {
        return "the family's task query for " + taskId;
    }

    /** One image of an answer: its URL or its bytes as base64 (one of them), and the prompt the model used, or null. */
    record Image(String url, String b64, String revisedPrompt) {}

    /** A family's own operation with the synthetic request it is to inspect. */
    record Own<D>(Operation<D> operation, ClientRequest request) {}
}
