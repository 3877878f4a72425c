package dev.antler.ideogram;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.antler.files.FileMirror;
import dev.antler.json.Json;
import dev.antler.multipart.MultipartScanner;
import dev.antler.relay.ClientRequest;
import dev.antler.relay.FormEdit;
import dev.antler.relay.Intent;
import dev.antler.relay.RequestBody;
import dev.antler.relay.UpstreamRequest;
import dev.antler.routing.Channel;
import tools.jackson.databind.node.ObjectNode;

/**
 * A multipart Ideogram endpoint: legacy remix, upscale, describe and edit, and the five Ideogram 3.0
 * endpoints. The body is sent from its spool file; only "not given" (empty) parts are dropped, a
 * missing legacy {@code model} is added, and the model is rewritten when the channel maps it.
 */
final class FormOperation extends IdeogramOperation<FormOperation.Inspected> {

    /** The spooled form and what its inspection found. */
    record Inspected(IdeogramForm form, FormRules.Inspection inspection) {}

    private final IdeogramEndpoint endpoint;

    /** @param mirror mirrors result images when not null (never for describe, which returns none) */
    FormOperation(IdeogramEndpoint endpoint, FileMirror mirror) {
        super(endpoint.operationName(), endpoint.perImage(), endpoint.perImage() ? mirror : null);
        this.endpoint = endpoint;
    }

    @Override
    public BodyKind bodyKind() {
        return BodyKind.MULTIPART;
    }

    @Override
    Intent<Inspected> read(ClientRequest request) {
        IdeogramForm form = new IdeogramForm((RequestBody.Spooled) request.body());
        FormRules.Inspection inspection = FormRules.inspect(endpoint, form);
        return new Intent<>(inspection.model(), false, new Inspected(form, inspection), inspection.priceKey());
    }

    @Override
    long requestedImages(Inspected request) {
        return request.inspection().count();
    }

    @Override
    public UpstreamRequest upstreamRequest(Intent<Call<Inspected>> intent, Channel channel, ClientRequest client) {
        Inspected call = intent.details().request();
        RequestBody.Spooled body = call.form().body();
        FormRules.Inspection inspection = call.inspection();
        String boundary = MultipartScanner.boundaryOf(body.contentType()).orElseThrow();
        FormEdit edit = new FormEdit(body, boundary);
        call.form().emptyParts().forEach(edit::drop);
        String upstreamModel = channel.upstreamModel(intent.model());
        boolean mapped = !upstreamModel.equals(intent.model());
        if (inspection.insertModel()) {
            edit.append("model", upstreamModel);
        } else if (inspection.modelPart() != null && mapped) {
            edit.replace(inspection.modelPart(), upstreamModel.getBytes(UTF_8));
        }
        ImageRequests.Checked imageRequest = inspection.imageRequest();
        boolean mapInRequest = mapped && imageRequest != null && imageRequest.model() != null;
        if (imageRequest != null && (imageRequest.cleaned() || mapInRequest)) {
            ObjectNode request = imageRequest.request().deepCopy();
            if (mapInRequest) {
                request.put("model", upstreamModel);
            }
            edit.replace(inspection.imageRequestPart(), Json.bytes(request));
        }
        return UpstreamRequest.post(IdeogramUpstream.url(channel, endpoint.nativePath()),
                IdeogramUpstream.headers(channel, client.headers(), body.contentType()), edit.pieces());
    }
}
