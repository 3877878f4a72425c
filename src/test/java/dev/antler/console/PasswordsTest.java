package dev.antler.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Argon2id hashing: round trip, salting, PHC parameters, and refusal of tampered or foreign hashes. */
class PasswordsTest {

    @Test
    void aHashVerifiesItsPasswordAndNoOther() {
        String hash = Passwords.hash("correct horse battery");
        assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(hash).doesNotContain("correct horse battery");
        assertThat(Passwords.verify("correct horse battery", hash)).isTrue();
        assertThat(Passwords.verify("correct horse batterY", hash)).isFalse();
        assertThat(Passwords.verify("", hash)).isFalse();
    }

    @Test
    void theSamePasswordHashesDifferentlyEachTime() {
        assertThat(Passwords.hash("same password")).isNotEqualTo(Passwords.hash("same password"));
    }

    @Test
    void aUserWithoutAHashNeverVerifies() {
        assertThat(Passwords.verify("not a password: no such user", null)).isFalse();
        assertThat(Passwords.verify("anything", null)).isFalse();
    }

    @Test
    void aTamperedOrForeignHashDoesNotVerify() {
        String hash = Passwords.hash("pa55word!");
        String tampered = hash.substring(0, hash.length() - 2) + (hash.endsWith("A") ? "BB" : "AA");
        assertThat(Passwords.verify("pa55word!", tampered)).isFalse();
        assertThat(Passwords.verify("pa55word!", hash.replace("t=2", "t=3"))).isFalse();
        assertThat(Passwords.verify("pa55word!", "$2a$10$abcdefghijklmnopqrstuv")).isFalse();
    }

    @Test
    void hashesMadeWithOtherParametersVerifyWithTheirOwn() {
        byte[] salt = "sixteen byte slt".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        org.bouncycastle.crypto.generators.Argon2BytesGenerator generator =
                new org.bouncycastle.crypto.generators.Argon2BytesGenerator();
        generator.init(new org.bouncycastle.crypto.params.Argon2Parameters.Builder(
                org.bouncycastle.crypto.params.Argon2Parameters.ARGON2_id)
                .withVersion(org.bouncycastle.crypto.params.Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(salt).withMemoryAsKB(64).withIterations(1).withParallelism(1).build());
        byte[] out = new byte[32];
        generator.generateBytes("older parameters".getBytes(java.nio.charset.StandardCharsets.UTF_8), out);
        java.util.Base64.Encoder b64 = java.util.Base64.getEncoder().withoutPadding();
        String stored = "$argon2id$v=19$m=64,t=1,p=1$" + b64.encodeToString(salt) + "$" + b64.encodeToString(out);
        assertThat(Passwords.verify("older parameters", stored)).isTrue();
        assertThat(Passwords.verify("older parameterz", stored)).isFalse();
    }
}
