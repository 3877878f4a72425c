package dev.antler.recraft;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.antler.files.FileMirror;
import dev.antler.multipart.MultipartScanner;
import dev.antler.multipart.Part;
import dev.antler.relay.ClientRequest;
import dev.antler.relay.FormEdit;
import dev.antler.relay.RequestBody;
import dev.antler.relay.UpstreamRequest;

/**
 * A Recraft endpoint called with a multipart form, images as file parts. The body is sent from its spool file
 * (memory does not grow with the images); only empty parts ("not given") are dropped, and {@code model} is
 * added (none given) or rewritten (mapped by the channel).
 */
final class FormOperation extends RecraftOperation<FormFields> {

    FormOperation(RecraftEndpoint endpoint, FileMirror mirror) {
        super(endpoint, mirror);
    }

    @Override
    public BodyKind bodyKind() {
        return BodyKind.MULTIPART;
    }

    @Override
    FormFields read(ClientRequest request) {
        return new FormFields((RequestBody.Spooled) request.body());
    }

    @Override
    UpstreamRequest.Body upstreamBody(FormFields form, String upstreamModel) {
        RequestBody.Spooled body = form.body();
        FormEdit edit = new FormEdit(body, MultipartScanner.boundaryOf(body.contentType()).orElseThrow());
        form.emptyParts().forEach(edit::drop);
        if (upstreamModel != null) {
            Part model = form.partOf("model");
            if (model == null) {
                edit.append("model", upstreamModel);
            } else {
                edit.replace(model, upstreamModel.getBytes(UTF_8));
            }
        }
        return edit.pieces();
    }

    @Override
    String contentType(FormFields form) {
        return form.body().contentType();
    }
}
