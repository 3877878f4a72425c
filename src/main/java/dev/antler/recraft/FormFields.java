package dev.antler.recraft;

import static dev.antler.recraft.RecraftChecks.invalid;
import static dev.antler.recraft.RecraftChecks.missing;

import dev.antler.core.GatewayException;
import dev.antler.multipart.Part;
import dev.antler.relay.RequestBody;
import java.util.List;
import java.util.Map;

/**
 * The fields of a multipart Recraft request, from what the scanner kept while the body was spooled: text fields
 * and the location of every part (images stay on disk). A part sent empty means "not given": it is never
 * forwarded, and an empty required part is reported as missing.
 */
final class FormFields implements RecraftFields {

    private final RequestBody.Spooled body;
    private final List<Part> parts;
    private final Map<String, String> text;

    FormFields(RequestBody.Spooled body) {
        this.body = body;
        this.parts = body.scanner().parts();
        this.text = body.scanner().textFields();
        if (parts.isEmpty()) {
            throw GatewayException.badRequest("missing_fields",
                    "request body: a multipart form without fields (expected: the endpoint's form fields)");
        }
    }

    RequestBody.Spooled body() {
        return body;
    }

    @Override
    public String scalar(String name) {
        List<Part> given = given(parts, name);
        if (given.isEmpty()) {
            return null;
        }
        if (given.size() > 1) {
            throw invalid(name, "given " + given.size() + " times", "at most once");
        }
        String value = text.get(name);
        if (given.get(0).isFile() || value == null) {
            throw invalid(name, "a file part", "a text field");
        }
        return value;
    }

    @Override
    public boolean given(String name) {
        return !given(parts, name).isEmpty();
    }

    @Override
    public void requireImages(RecraftEndpoint.Input input) {
        String name = input.part();
        List<Part> given = given(parts, name);
        if (given.isEmpty()) {
            throw missing(name, IMAGE_FILE);
        }
        if (given.size() > 1 && !input.many()) {
            throw invalid(name, given.size() + " files", "one image");
        }
        for (Part part : given) {
            if (part.size() > MAX_IMAGE_BYTES) {
                throw GatewayException.tooLarge(name + ": " + part.size() + " bytes (expected: at most "
                        + MAX_IMAGE_BYTES + " bytes, 10 MB, per image)");
            }
        }
    }

    /** The part of single-valued field {@code name} when it is given; null otherwise. */
    Part partOf(String name) {
        List<Part> given = given(parts, name);
        return given.isEmpty() ? null : given.get(0);
    }

    /** Parts whose value is empty: "not given", never forwarded. */
    List<Part> emptyParts() {
        return parts.stream().filter(p -> p.size() == 0).toList();
    }

    private static List<Part> given(List<Part> parts, String name) {
        return parts.stream().filter(p -> p.name().equals(name) && p.size() > 0).toList();
    }
}
