package dev.antler.testing;

/** The config example of the gateway-core issue, which must be accepted exactly as written. */
public final class ExampleConfig {

    /** Channels, prices and users; without the server, database and admin sections. */
    public static final String SEED_SECTIONS = """
            channels:
              - name: openai-main
                type: openai
                base_url: "https://api.openai.com"
                key: "sk-upstream-key"
                models: [gpt-4o-mini, text-embedding-3-small]
                model_mapping: { gpt-4o-mini: gpt-4o-mini-2024-07-18 }
                priority: 0
                weight: 1
                groups: [default]
            prices:
              gpt-4o-mini: { input_per_mtok: 0.15, output_per_mtok: 0.60 }
              dall-e-3: { per_image: 0.04 }
              some-model: { per_call: 0.01 }
            users:
              - name: alice
                group: default
                balance: 10.00
                keys:
                  - { name: laptop, key: "sk-alice-0123456789abcdef" }
            """;

    /** The whole example, server, database and admin sections included. */
    public static final String FULL = """
            server: { port: 3000 }
            database: { url: "jdbc:sqlite:data/antler.db" }
            admin: { key: "sk-admin-change-me" }
            """ + SEED_SECTIONS;

    private ExampleConfig() {}
}
