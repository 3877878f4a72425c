package dev.antler.midjourney;

import dev.antler.core.GatewayException;
import java.util.Locale;

/** Midjourney actions: the task action a submit starts and the price name it is billed under. */
final class MjActions {

    private MjActions() {}

    /** A task action (IMAGINE, UPSCALE, ...) and its price action (imagine, upscale, ...). */
    record Action(String taskAction, String priceAction) {

        /** The price key for {@code mode} (fast, relax, turbo, or null for none given). */
        String priceKey(String mode) {
            return mode == null ? "mj_" + priceAction : "mj_" + priceAction + "_" + mode;
        }

        String baseKey() {
            return "mj_" + priceAction;
        }
    }

    /** The action a button's {@code customId} performs, e.g. {@code MJ::JOB::upsample::1::<hash>}. */
    static Action ofCustomId(String customId) {
        String id = customId.toLowerCase(Locale.ROOT);
        if (id.contains("::upsample") || id.contains("::upscale")) {
            return new Action("UPSCALE", "upscale");
        }
        if (id.contains("::reroll")) {
            return new Action("REROLL", "reroll");
        }
        if (id.contains("variation")) {
            return new Action("VARIATION", "variation");
        }
        if (id.contains("customzoom")) {
            return new Action("CUSTOM_ZOOM", "zoom");
        }
        if (id.contains("::outpaint") || id.contains("zoom")) {
            return new Action("ZOOM", "zoom");
        }
        if (id.contains("::pan_") || id.contains("::pan::")) {
            return new Action("PAN", "pan");
        }
        if (id.contains("inpaint")) {
            return new Action("INPAINT", "modal");
        }
        if (id.contains("video") || id.contains("animate")) {
            return new Action("VIDEO", "video");
        }
        throw GatewayException.badRequest("invalid_custom_id", "customId: " + customId
                + " (expected: a button customId such as MJ::JOB::upsample::1::<hash>, from the task's buttons)");
    }

    /** The action of the legacy {@code /submit/change} {@code action} field. */
    static Action ofChange(String action) {
        return switch (action == null ? "" : action.toUpperCase(Locale.ROOT)) {
            case "UPSCALE" -> new Action("UPSCALE", "upscale");
            case "VARIATION" -> new Action("VARIATION", "variation");
            case "REROLL" -> new Action("REROLL", "reroll");
            default -> throw GatewayException.badRequest("invalid_action", "action: " + action
                    + " (expected: UPSCALE, VARIATION or REROLL)");
        };
    }

    /** The action of a {@code /submit/simple-change} command such as {@code U2}, {@code V1} or {@code R}. */
    static Action ofSimpleChange(String command) {
        return switch (command.isEmpty() ? ' ' : Character.toUpperCase(command.charAt(0))) {
            case 'U' -> new Action("UPSCALE", "upscale");
            case 'V' -> new Action("VARIATION", "variation");
            case 'R' -> new Action("REROLL", "reroll");
            default -> throw GatewayException.badRequest("invalid_content", "content: " + command
                    + " (expected: '<taskId> U1'..'U4', 'V1'..'V4' or 'R')");
        };
    }
}
