package dev.antler.testing;

/** Users for gateway configs, one per test so balances stay apart. */
public final class TestUsers {

    private TestUsers() {}

    /** The plain-text key of the user {@code name} in {@link #yaml}. */
    public static String key(String name) {
        String key = "sk-" + name + "-test-key-0001";
        SuiteSecrets.record(key);
        return key;
    }

    /** YAML list entries of users with a 10 USD opening balance and one key each (see {@link #key}). */
    public static String yaml(String... names) {
        StringBuilder out = new StringBuilder();
        for (String name : names) {
            out.append("  - { name: ").append(name).append(", balance: 10, keys: [{ key: ")
                    .append(key(name)).append(" }] }\n");
        }
        return out.toString();
    }
}
