package dev.antler.ideogram;

import dev.antler.core.GatewayException;
import dev.antler.multipart.Part;
import dev.antler.relay.RequestBody;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A spooled multipart request as the Ideogram checks read it: its text fields (buffered by the scanner
 * while the body was spooled) and the location of every part. A part with an empty value means "not
 * given" — DeerAPI's own example sends {@code seed=""} and {@code num_images=""} — so empty parts are
 * never forwarded, and an empty required part is reported as missing.
 */
final class IdeogramForm {

    private final RequestBody.Spooled body;
    private final List<Part> parts;
    private final Map<String, String> text;

    IdeogramForm(RequestBody.Spooled body) {
        this.body = body;
        this.parts = body.scanner().parts();
        this.text = body.scanner().textFields();
    }

    RequestBody.Spooled body() {
        return body;
    }

    /** A single-valued text field, or null when absent or empty. */
    String optional(String name) {
        long count = parts.stream().filter(p -> p.name().equals(name)).count();
        if (count > 1) {
            throw Checks.invalid(name, "given " + count + " times", "at most once");
        }
        if (given(name).isEmpty()) {
            return null;
        }
        String value = text.get(name);
        if (value == null) {
            throw Checks.invalid(name, "a file part", "a text field");
        }
        return value;
    }

    String required(String name, String expected) {
        String value = optional(name);
        if (value == null) {
            throw Checks.missing(name, expected);
        }
        return value;
    }

    /** The one non-empty part named {@code name}, checked as an image. */
    Part requiredImage(String name) {
        List<Part> given = given(name);
        if (given.isEmpty()) {
            throw Checks.missing(name, ImageChecks.expected());
        }
        if (given.size() > 1) {
            throw Checks.invalid(name, given.size() + " files", "one image");
        }
        ImageChecks.check(name, given.get(0));
        return given.get(0);
    }

    /** Checks the images of an optional repeated file field; returns how many were given. */
    int optionalImages(String name) {
        List<Part> given = given(name);
        ImageChecks.checkAll(name, given);
        return given.size();
    }

    /** The part of single-valued text field {@code name} when it is given (not empty); null otherwise. */
    Part partOf(String name) {
        List<Part> given = given(name);
        return given.isEmpty() ? null : given.get(0);
    }

    /** Parts whose value is empty: "not given", never forwarded. */
    List<Part> emptyParts() {
        return parts.stream().filter(p -> p.size() == 0).toList();
    }

    /** The body has at least one part; an empty form is a client error, not a request to forward. */
    void requireParts() {
        if (parts.isEmpty()) {
            throw GatewayException.badRequest("missing_fields",
                    "request body: a multipart form without fields (expected: the endpoint's form fields)");
        }
    }

    private List<Part> given(String name) {
        List<Part> given = new ArrayList<>();
        for (Part part : parts) {
            if (part.name().equals(name) && part.size() > 0) {
                given.add(part);
            }
        }
        return given;
    }
}
