package dev.antler.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads the YAML config file, applies environment overrides, resolves {@code ${VAR}} and
 * {@code ${VAR:-default}} references in string values (so secrets can stay out of the file), and
 * binds the result to {@link AntlerConfig}. Unknown keys are errors, so a typo never passes silently.
 */
public final class ConfigLoader {

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final Function<String, String> env;

    public ConfigLoader(Function<String, String> env) {
        this.env = env;
    }

    public static ConfigLoader fromSystemEnv() {
        return new ConfigLoader(System::getenv);
    }

    /** Loads {@code file}, or the defaults plus environment overrides when {@code file} is null. */
    public AntlerConfig load(Path file) {
        ObjectNode root;
        if (file == null) {
            root = YAML.createObjectNode();
        } else {
            try {
                JsonNode parsed = YAML.readTree(Files.readString(file));
                root = parsed instanceof ObjectNode object ? object : YAML.createObjectNode();
            } catch (IOException e) {
                throw new ConfigException("config file: " + file + " (expected: a readable YAML file): " + e.getMessage());
            } catch (JacksonException e) {
                throw new ConfigException("config file: " + file + " is not valid YAML: " + e.getOriginalMessage());
            }
        }
        return bind(root, file == null ? "(environment)" : file.toString());
    }

    public AntlerConfig parse(String yaml) {
        JsonNode parsed;
        try {
            parsed = YAML.readTree(yaml);
        } catch (JacksonException e) {
            throw new ConfigException("config (string) is not valid YAML: " + e.getOriginalMessage());
        }
        return bind(parsed instanceof ObjectNode object ? object : YAML.createObjectNode(), "(string)");
    }

    private AntlerConfig bind(ObjectNode root, String source) {
        new EnvOverrides(env).apply(root);
        resolveReferences(root);
        try {
            return YAML.treeToValue(root, AntlerConfig.class);
        } catch (JacksonException e) {
            throw new ConfigException("config " + source + ": " + describe(e));
        }
    }

    /** What failed, led by the key's path ({@code server.port}, {@code channels[0].base_url}). */
    private static String describe(JacksonException e) {
        if (e.getCause() instanceof IllegalArgumentException invalid) {
            return invalid.getMessage();
        }
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : e.getPath()) {
            if (reference.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        if (e instanceof UnrecognizedPropertyException unknown) {
            return path + ": unknown key (expected: one of " + unknown.getKnownPropertyIds().stream()
                    .map(String::valueOf).sorted().collect(Collectors.joining(", ")) + ")";
        }
        return path + ": " + e.getOriginalMessage();
    }

    private void resolveReferences(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> entry : object.properties()) {
                if (entry.getValue().isString()) {
                    entry.setValue(object.stringNode(substitute(entry.getValue().stringValue())));
                } else {
                    resolveReferences(entry.getValue());
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isString()) {
                    array.set(i, array.stringNode(substitute(array.get(i).stringValue())));
                } else {
                    resolveReferences(array.get(i));
                }
            }
        }
    }

    private String substitute(String value) {
        if (value.indexOf("${") < 0) {
            return value;
        }
        Matcher matcher = REFERENCE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String resolved = env.apply(matcher.group(1));
            if (resolved == null) {
                resolved = matcher.group(2);
            }
            if (resolved == null) {
                throw new ConfigException("environment variable: " + matcher.group(1)
                        + " (expected: set, as the config refers to it)");
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(resolved));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    static String snakeCase(String camel) {
        StringBuilder out = new StringBuilder(camel.length() + 4);
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (Character.isUpperCase(c)) {
                out.append('_').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
