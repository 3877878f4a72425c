package dev.antler.relay;

import java.util.function.LongFunction;

/**
 * A request's limit on output tokens, as its hold counts it.
 *
 * @param field    the request field that sets it (max_tokens, max_completion_tokens, max_output_tokens)
 * @param tokens   the tokens per answer held: the field's value, or the default hold when not given
 * @param answers  how many answers share it (n)
 * @param lowering the request with its limit lowered to the given tokens per answer
 * @param <D>      the operation's type of details
 */
public record OutputLimit<D>(String field, long tokens, long answers, LongFunction<Intent<D>> lowering) {

    /** The request with its output limit lowered to {@code tokens} per answer. */
    public Intent<D> lowerTo(long tokens) {
        return lowering.apply(tokens);
    }
}
