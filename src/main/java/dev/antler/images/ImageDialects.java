package dev.antler.images;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** The image families' dialects of OpenAI's images route, in the order the families were mounted. */
public final class ImageDialects {

    private final List<ImageDialect> dialects = new CopyOnWriteArrayList<>();

    public void add(ImageDialect dialect) {
        dialects.add(dialect);
    }

    /** The dialect claiming {@code model}, the first mounted when several do. */
    public Optional<ImageDialect> forModel(String model) {
        return model == null ? Optional.empty() : dialects.stream().filter(d -> d.claims(model)).findFirst();
    }
}
