package dev.antler.ideogram;

/**
 * The price keys of the Ideogram family. Prices differ per endpoint and per {@code model} (legacy
 * endpoints) or per {@code rendering_speed} (Ideogram 3.0), so the relay looks them up by these keys
 * rather than by the routing model; the built-in values are in {@code billing.DefaultPrices} and any
 * of them can be overridden like every price (config {@code prices:}, admin API).
 *
 * <ul>
 *   <li>{@code ideogram/generate/V_2}, {@code ideogram/remix/V_2_TURBO}, {@code ideogram/edit/V_2}: legacy, per image
 *   <li>{@code ideogram/upscale}: per image; {@code ideogram/describe}: per call
 *   <li>{@code ideogram/v3/edit/TURBO}: Ideogram 3.0, per image; with character reference images
 *       {@code ideogram/v3/edit/TURBO/character}
 *   <li>{@code ideogram/other}: any other path under {@code /ideogram/}, per call
 * </ul>
 */
final class IdeogramPrices {

    static final String UPSCALE = "ideogram/upscale";
    static final String DESCRIBE = "ideogram/describe";
    static final String OTHER = "ideogram/other";

    private IdeogramPrices() {}

    static String legacy(IdeogramEndpoint endpoint, String model) {
        return "ideogram/" + endpoint.slug() + "/" + model;
    }

    static String v3(IdeogramEndpoint endpoint, String renderingSpeed, boolean characterReference) {
        return "ideogram/" + endpoint.slug() + "/" + renderingSpeed + (characterReference ? "/character" : "");
    }
}
