package dev.antler.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A Lua script run by its SHA-1 ({@code EVALSHA}): loaded once each time Redis comes up ({@code SCRIPT LOAD});
 * should Redis have forgotten it since (a restart, {@code SCRIPT FLUSH}), the {@code NOSCRIPT} answer is followed
 * by one {@code EVAL} with the source, which loads it again.
 */
final class LuaScript {

    private final String name;
    private final String source;
    private final String sha;

    private LuaScript(String name, String source) {
        this.name = name;
        this.source = source;
        this.sha = sha1(source);
    }

    /** The script {@code name} beside this class in the resources. */
    static LuaScript resource(String name) {
        try (InputStream in = LuaScript.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("script missing from the build: " + name);
            }
            return new LuaScript(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String name() {
        return name;
    }

    String sha() {
        return sha;
    }

    Future<Response> load(RedisLink link) {
        return link.sendLoading(Request.cmd(Command.SCRIPT).arg("LOAD").arg(source));
    }

    Future<Response> run(RedisLink link, List<String> keys, List<String> args) {
        return link.send(request(Command.EVALSHA, sha, keys, args)).recover(failure ->
                RedisLink.isErrorReply(failure) && String.valueOf(failure.getMessage()).startsWith("NOSCRIPT")
                        ? link.send(request(Command.EVAL, source, keys, args))
                        : Future.failedFuture(failure));
    }

    private static Request request(Command command, String script, List<String> keys, List<String> args) {
        Request request = Request.cmd(command).arg(script).arg(keys.size());
        keys.forEach(request::arg);
        args.forEach(request::arg);
        return request;
    }

    private static String sha1(String source) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
