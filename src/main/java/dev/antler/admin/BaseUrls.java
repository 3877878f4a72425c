package dev.antler.admin;

import java.net.URI;
import java.net.URISyntaxException;

/** Validation of a channel's {@code base_url}. */
final class BaseUrls {

    private static final String EXPECTED = "an absolute http:// or https:// URL with a host, "
            + "no credentials, query or fragment (the upstream key goes in \"key\")";

    private BaseUrls() {}

    static void check(String baseUrl) {
        URI uri;
        try {
            uri = new URI(baseUrl);
        } catch (URISyntaxException e) {
            throw Problems.invalid("base_url", baseUrl, EXPECTED);
        }
        String scheme = uri.getScheme();
        boolean web = "http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme);
        if (!web || uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            // A URL with credentials is not echoed back.
            throw Problems.invalid("base_url", uri.getRawUserInfo() == null ? baseUrl : "(with credentials)", EXPECTED);
        }
    }
}
