package dev.antler.billing;

import dev.antler.json.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable file of ledger entries that were not written to the store: entries the store rejected on
 * their own merits, and entries still unwritten when a graceful stop gave up waiting for the store. One
 * JSON object per line, appended and synced before the writer lets go of an entry. Entries are removed
 * only once re-applied (or found applied already); a line that cannot be read is kept as it is.
 */
public final class DeadLetters {

    /** Why an entry is here. */
    public static final String REJECTED = "rejected";
    public static final String UNWRITTEN_AT_STOP = "unwritten_at_stop";

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    /**
     * One entry. {@code writerId} and {@code batch} name the transaction it was last tried in, when that
     * transaction may have committed after all (its commit failed): replay skips it if it did.
     */
    public record Letter(String id, String reason, String error, long at, long userId, long keyId,
                         long balanceDelta, long usedDelta, String kind, String reference, String note,
                         UsageRecord usage, String writerId, long batch) {}

    private final Path file;
    /**
     * Space kept free for the file: a full disk (the store's, often the same one) fails the store's writes
     * and then this file's too. The reserve is given up to make room, and made again at the next start.
     */
    private final Path reserve;
    private final long reserveBytes;
    private int count;

    public DeadLetters(Path file, long reserveBytes) {
        this.file = file;
        this.reserve = file.resolveSibling(file.getFileName() + ".reserve");
        this.reserveBytes = reserveBytes;
        this.count = readAll().letters().size();
        if (reserveBytes > 0) {
            makeReserve();
        }
    }

    public Path file() {
        return file;
    }

    /** Entries in the file (readable ones). */
    public synchronized int count() {
        return count;
    }

    /** Appends and syncs {@code letters}; throws if they could not be made durable. */
    synchronized void append(List<Letter> letters) {
        if (letters.isEmpty()) {
            return;
        }
        StringBuilder lines = new StringBuilder();
        for (Letter letter : letters) {
            lines.append(Json.MAPPER.writeValueAsString(letter)).append('\n');
        }
        try {
            write(lines);
        } catch (UncheckedIOException e) {
            if (!giveUpReserve()) {
                throw e;
            }
            write(lines);
        }
        count += letters.size();
    }

    private void write(StringBuilder lines) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE)) {
                channel.position(channel.size());
                if (endsMidLine(channel)) {
                    lines.insert(0, '\n'); // a line cut short by a crash stays a line of its own
                }
                ByteBuffer bytes = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("dead-letter file: " + file + " could not be written: " + e.getMessage(), e);
        }
    }

    private void makeReserve() {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (Files.exists(reserve) && Files.size(reserve) == reserveBytes) {
                return;
            }
            // Written out, not a sparse file: the blocks must really be taken to be given back later.
            byte[] zeros = new byte[64 * 1024];
            try (var out = Files.newOutputStream(reserve)) {
                for (long left = reserveBytes; left > 0; left -= zeros.length) {
                    out.write(zeros, 0, (int) Math.min(left, zeros.length));
                }
            }
        } catch (IOException e) {
            log.warn("dead-letter file: no {}-byte reserve at {} ({}); on a full disk the file may not be writable",
                    reserveBytes, reserve, e.toString());
            try {
                Files.deleteIfExists(reserve);
            } catch (IOException ignored) {
                // nothing more to free
            }
        }
    }

    /** Frees the reserve's space for the file; false if there was none. */
    private boolean giveUpReserve() {
        try {
            boolean freed = Files.deleteIfExists(reserve);
            if (freed) {
                log.error("dead-letter file: the disk is full; gave up the reserve at {} to write {}", reserve, file);
            }
            return freed;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean endsMidLine(FileChannel channel) throws IOException {
        long size = channel.size();
        if (size == 0) {
            return false;
        }
        ByteBuffer last = ByteBuffer.allocate(1);
        channel.read(last, size - 1);
        return last.get(0) != '\n';
    }

    /** Every readable entry, in the order written. */
    public synchronized List<Letter> list() {
        return readAll().letters();
    }

    /** Removes the entries with these ids; unreadable lines and other entries stay. */
    synchronized void remove(Set<String> ids) {
        if (ids.isEmpty()) {
            return;
        }
        Contents contents = readAll();
        StringBuilder kept = new StringBuilder();
        int left = 0;
        for (int i = 0; i < contents.lines().size(); i++) {
            Letter letter = contents.parsed().get(i);
            if (letter != null && ids.contains(letter.id())) {
                continue;
            }
            left += letter != null ? 1 : 0;
            kept.append(contents.lines().get(i)).append('\n');
        }
        try {
            Path next = file.resolveSibling(file.getFileName() + ".next");
            Files.writeString(next, kept, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.SYNC);
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // The entries stay in the file; a later replay finds them applied (ledger_replays) and drops them then.
            log.error("dead-letter file: {} could not be rewritten after a replay: {}", file, e.toString());
            return;
        }
        count = left;
    }

    private record Contents(List<String> lines, List<Letter> parsed) {
        List<Letter> letters() {
            return parsed.stream().filter(java.util.Objects::nonNull).toList();
        }
    }

    private Contents readAll() {
        if (!Files.exists(file)) {
            return new Contents(List.of(), List.of());
        }
        List<String> lines = new ArrayList<>();
        List<Letter> parsed = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                lines.add(line);
                parsed.add(parse(line));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("dead-letter file: " + file + " could not be read: " + e.getMessage(), e);
        }
        return new Contents(lines, parsed);
    }

    private Letter parse(String line) {
        try {
            return Json.MAPPER.readValue(line, Letter.class);
        } catch (RuntimeException e) {
            log.error("dead-letter file: {} has a line that cannot be read; it is kept as it is: {}", file, e.toString());
            return null;
        }
    }
}
