package dev.antler.suno;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.antler.core.GatewayException;
import dev.antler.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class SunoSubmitTest {

    static ObjectNode json(String text) {
        return (ObjectNode) Json.MAPPER.readTree(text.replace('\'', '"'));
    }

    static SunoSubmit post(String path, String body) {
        return SunoSubmit.of("POST", path, json(body));
    }

    static GatewayException refused(String method, String path, String body) {
        GatewayException e = catchThrowableOfType(GatewayException.class,
                () -> SunoSubmit.of(method, path, body == null ? null : json(body)));
        assertThat(e).as("%s %s %s", method, path, body).isNotNull();
        return e;
    }

    static GatewayException refused(String path, String body) {
        return refused("POST", path, body);
    }

    static void assertRefused(GatewayException e, String code, String... inMessage) {
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.getMessage()).contains("(expected: ");
        if (inMessage.length > 0) {
            assertThat(e.getMessage()).contains(inMessage);
        }
    }

    @Test
    void inspirationMusicDefaultsTheModelVersionAndKeepsTheHookForTheGateway() {
        SunoSubmit s = post("/suno/submit/music", "{'gpt_description_prompt':'a song about the sea',"
                + "'make_instrumental':true,'notify_hook':'https://client.example/hook','callback_url':'https://x.example/cb'}");

        assertThat(s.action()).isEqualTo(SunoAction.MUSIC);
        assertThat(s.taskAction()).isEqualTo("MUSIC");
        assertThat(s.createsTask()).isTrue();
        assertThat(s.model()).isEqualTo("chirp-v3-0");
        assertThat(s.priceKeys()).containsExactly("chirp-v3-0", "suno_music");
        assertThat(s.upstreamPath()).isEqualTo("/suno/submit/music");
        assertThat(s.notifyHook()).isEqualTo("https://client.example/hook");
        assertThat(s.originTaskId()).isNull();
        assertThat(s.upstreamBody().path("mv").asString()).isEqualTo("chirp-v3-0");
        assertThat(s.upstreamBody().has("notify_hook")).isFalse();
        assertThat(s.upstreamBody().has("callback_url")).isFalse();
        assertThat(s.upstreamBody().path("make_instrumental").asBoolean()).isTrue();
    }

    @Test
    void customModeIsRoutedAndPricedByItsModelVersion() {
        SunoSubmit s = post("/suno/submit/music", "{'prompt':'[Verse] la la','title':'Sea','tags':'edm',"
                + "'negative_tags':'metal','mv':'chirp-v4','instrumental':false}");
        assertThat(s.model()).isEqualTo("chirp-v4");
        assertThat(s.priceKeys()).containsExactly("chirp-v4", "suno_music");
        assertThat(post("/suno/submit/music", "{'tags':'heavy metal','prompt':'','mv':'chirp-crow'}").model())
                .isEqualTo("chirp-crow");
        assertThat(post("/suno/submit/MUSIC", "{'tags':'jazz','mv':'chirp-v3.5'}").model()).isEqualTo("chirp-v3.5");
    }

    @Test
    void musicWithNothingToMakeItFromIsRefused() {
        assertRefused(refused("/suno/submit/music", "{'mv':'chirp-v4','title':'x'}"), "missing_prompt",
                "gpt_description_prompt: missing");
        assertRefused(refused("/suno/submit/music", "{'gpt_description_prompt':'  '}"), "missing_prompt");
    }

    @Test
    void wrongTypesNameTheField() {
        assertRefused(refused("/suno/submit/music", "{'gpt_description_prompt':'x','title':42}"), "invalid_title",
                "title: 42", "a string");
        assertRefused(refused("/suno/submit/music", "{'gpt_description_prompt':'x','make_instrumental':'yes'}"),
                "invalid_make_instrumental", "make_instrumental: \"yes\"", "true or false");
        assertRefused(refused("/suno/submit/music", "{'gpt_description_prompt':'x','instrumental':1}"),
                "invalid_instrumental");
        assertRefused(refused("/suno/submit/music", "{'gpt_description_prompt':['x']}"),
                "invalid_gpt_description_prompt");
        assertRefused(refused("/suno/submit/music", "{'task_id':'t1','continue_clip_id':'c1','continue_at':'ten'}"),
                "invalid_continue_at", "continue_at: \"ten\"");
        assertRefused(refused("/suno/submit/music", "{'task_id':'t1','continue_clip_id':'c1','continue_at':-1}"),
                "invalid_continue_at", "0 or more");
        assertRefused(refused("/suno/submit/music", "{'prompt':'x','mv':'chirp v4!'}"), "invalid_mv", "mv: chirp v4!");
        assertRefused(refused("/suno/submit/music", "{'prompt':'x','mv':7}"), "invalid_mv");
        // the mv is the price key: another model's name would buy a song at that model's price
        assertRefused(refused("/suno/submit/music", "{'prompt':'x','mv':'suno_lyrics'}"), "invalid_mv");
        assertRefused(refused("/suno/submit/music", "{'prompt':'x','mv':'omni-moderation-latest'}"), "invalid_mv");
        assertThat(post("/suno/submit/music", "{'prompt':'x','mv':'chirp-auk-turbo'}").model()).isEqualTo("chirp-auk-turbo");
    }

    @Test
    void nullFieldsCountAsNotGiven() {
        SunoSubmit s = post("/suno/submit/music", "{'prompt':'','tags':'heavy metal','mv':'chirp-auk','title':'Beijing',"
                + "'continue_clip_id':null,'continue_at':null,'infill_start_s':null,'infill_end_s':null}");
        assertThat(s.model()).isEqualTo("chirp-auk");
        assertThat(s.originTaskId()).isNull();
    }

    @Test
    void aContinuationIsPinnedToItsOriginTaskAndSendsTheUpstreamId() {
        SunoSubmit s = post("/suno/submit/music", "{'prompt':'[Verse] more','mv':'chirp-v4','task_id':'task_abc',"
                + "'continue_clip_id':'c80cea18-8dd1','continue_at':80,'task':'extend'}");

        assertThat(s.originTaskId()).isEqualTo("task_abc");
        assertThat(s.upstreamBody().has("task_id")).as("never the gateway's id upstream").isFalse();
        ObjectNode sent = s.upstreamBody("up-777");
        assertThat(sent.path("task_id").asString()).isEqualTo("up-777");
        assertThat(sent.path("continue_clip_id").asString()).isEqualTo("c80cea18-8dd1");
        assertThat(sent.path("continue_at").asInt()).isEqualTo(80);
        assertThat(SunoSubmit.TASK_ID_FIELD).isEqualTo("task_id");
    }

    @Test
    void aClipToContinueNeedsItsOriginTask() {
        GatewayException e = refused("/suno/submit/music", "{'prompt':'x','continue_clip_id':'c1','continue_at':10,"
                + "'task':'upload_extend'}");
        assertRefused(e, "missing_task_id", "task_id: missing", "continue_clip_id: c1");

        assertRefused(refused("/suno/submit/music", "{'prompt':'x','continue_at':10}"), "missing_continue_clip_id",
                "continue_clip_id: missing with continue_at");
        assertRefused(refused("/suno/submit/music", "{'prompt':'x','task':'extend','task_id':'t1'}"),
                "missing_continue_clip_id", "with task: extend");
        assertRefused(refused("/suno/submit/music", "{'prompt':'x','task_id':'../admin','continue_clip_id':'c1'}"),
                "invalid_task_id", "task_id: ../admin");
        assertRefused(refused("/suno/submit/music", "{'prompt':'x','task_id':'t1','continue_clip_id':'c 1'}"),
                "invalid_continue_clip_id");
    }

    @Test
    void infillNeedsBothEndsInOrder() {
        assertThat(post("/suno/submit/music", "{'prompt':'x','task_id':'t1','continue_clip_id':'c1',"
                + "'infill_start_s':10.5,'infill_end_s':20}").originTaskId()).isEqualTo("t1");
        assertRefused(refused("/suno/submit/music", "{'prompt':'x','infill_start_s':10}"), "missing_infill_end_s",
                "infill_end_s: missing");
        assertRefused(refused("/suno/submit/music", "{'prompt':'x','infill_end_s':10}"), "missing_infill_start_s");
        assertRefused(refused("/suno/submit/music", "{'prompt':'x','infill_start_s':10,'infill_end_s':10}"),
                "invalid_infill_end_s", "more than infill_start_s: 10.0");
    }

    @Test
    void stemSeparationHasItsOwnPrices() {
        SunoSubmit two = post("/suno/submit/music", "{'task':'gen_stem','generation_type':'TEXT','title':'t','mv':'chirp-auk',"
                + "'task_id':'t1','continue_clip_id':'c1','stem_type_id':91,'stem_type_group_name':'Two','stem_task':'two'}");
        assertThat(two.model()).isEqualTo("suno_stems");
        assertThat(two.priceKeys()).containsExactly("suno_stems");
        assertThat(two.originTaskId()).isEqualTo("t1");
        assertThat(two.upstreamBody().path("mv").asString()).isEqualTo("chirp-auk");

        SunoSubmit all = post("/suno/submit/music", "{'task':'gen_stem','mv':'chirp-auk','task_id':'t1',"
                + "'continue_clip_id':'c1','stem_type_group_name':'Twelve','stem_task':'twelve'}");
        assertThat(all.model()).isEqualTo("suno_stems_all");
    }

    @Test
    void notifyHookMustBeAnHttpUrl() {
        assertRefused(refused("/suno/submit/music", "{'prompt':'x','notify_hook':'ftp://x.example/h'}"),
                "invalid_notify_hook", "notify_hook: ftp://x.example/h");
        assertRefused(refused("/suno/submit/lyrics", "{'prompt':'x','notify_hook':5}"), "invalid_notify_hook");
        assertThat(post("/suno/submit/music", "{'prompt':'x','notify_hook':''}").notifyHook()).isNull();
    }

    @Test
    void lyricsNeedAPrompt() {
        SunoSubmit s = post("/suno/submit/lyrics", "{'prompt':'a love song','notify_hook':'http://h.example/x'}");
        assertThat(s.action()).isEqualTo(SunoAction.LYRICS);
        assertThat(s.model()).isEqualTo("suno_lyrics");
        assertThat(s.priceKeys()).containsExactly("suno_lyrics");
        assertThat(s.upstreamPath()).isEqualTo("/suno/submit/lyrics");
        assertThat(s.upstreamBody().has("notify_hook")).isFalse();

        assertRefused(refused("/suno/submit/lyrics", "{}"), "prompt_empty", "prompt: missing");
        assertRefused(refused("/suno/submit/lyrics", "{'prompt':' '}"), "prompt_empty", "prompt: \" \"");
        assertRefused(refused("/suno/submit/lyrics", "{'prompt':3}"), "invalid_prompt");
    }

    @Test
    void concatNeedsTheExtendedClip() {
        SunoSubmit s = post("/suno/submit/concat", "{'clip_id':'9c4f48f1-c0d2','is_infill':false}");
        assertThat(s.action()).isEqualTo(SunoAction.CONCAT);
        assertThat(s.model()).isEqualTo("suno_concat");
        assertThat(s.createsTask()).isTrue();
        assertThat(s.originTaskId()).isNull();
        assertThat(post("/suno/submit/concat", "{'clip_id':'c1','task_id':'t9'}").originTaskId()).isEqualTo("t9");

        assertRefused(refused("/suno/submit/concat", "{'is_infill':true}"), "missing_clip_id", "clip_id: missing");
        assertRefused(refused("/suno/submit/concat", "{'clip_id':'c1','is_infill':'no'}"), "invalid_is_infill");
        assertRefused(refused("/suno/submit/concat", "{'clip_id':'a/b'}"), "invalid_clip_id");
    }

    @Test
    void uploadNeedsAPublicHttpUrl() {
        SunoSubmit s = post("/suno/uploads/audio-url", "{'url':'https://cdn.example/a.mp3'}");
        assertThat(s.action()).isEqualTo(SunoAction.UPLOAD);
        assertThat(s.taskAction()).isEqualTo("UPLOAD");
        assertThat(s.model()).isEqualTo("suno_upload");
        assertThat(s.upstreamPath()).isEqualTo("/suno/uploads/audio-url");
        assertThat(s.createsTask()).isTrue();

        assertRefused(refused("/suno/uploads/audio-url", "{}"), "missing_url", "url: missing");
        assertRefused(refused("/suno/uploads/audio-url", "{'url':'file:///etc/passwd'}"), "invalid_url");
        assertRefused(refused("/suno/uploads/audio-url", "{'url':'not a url'}"), "invalid_url");
    }

    @Test
    void unknownActionsAndRoutes() {
        GatewayException action = refused("/suno/submit/video", "{}");
        assertRefused(action, "invalid_action", "action: video", "music, lyrics or concat");

        GatewayException get = refused("GET", "/suno/submit/music", null);
        assertThat(get.status()).isEqualTo(404);
        assertThat(refused("GET", "/suno/act/wav/", null).status()).isEqualTo(404);
        assertThat(refused("POST", "/suno/act/wav/c1", "{}").status()).isEqualTo(404);
        assertThat(refused("GET", "/suno/other", null).status()).isEqualTo(404);
    }

    @Test
    void extrasArePricedPassThroughs() {
        for (SunoAction action : List.of(SunoAction.WAV, SunoAction.MP4, SunoAction.TIMING, SunoAction.STEMS)) {
            String path = action.route().replace("{clip_id}", "9c4f48f1-c0d2");
            SunoSubmit s = SunoSubmit.of("GET", path, json("{'ignored':1}"));
            assertThat(s.action()).isEqualTo(action);
            assertThat(s.upstreamPath()).isEqualTo(path);
            assertThat(s.upstreamBody()).isNull();
            assertThat(s.createsTask()).isFalse();
            assertThat(s.model()).isEqualTo(action.model()).startsWith("suno_");
        }
        assertThat(SunoSubmit.of("GET", "/suno/act/wav/9c4f", null).model()).isEqualTo("suno_wav");
        assertRefused(refused("GET", "/suno/act/timing/..%2F..%2Fadmin", null), "invalid_clip_id");
        assertRefused(refused("GET", "/suno/act/mp4/a/b", null), "invalid_clip_id");

        SunoSubmit vox = post("/suno/act/vox/29e72f69", "{'clip_id':'29e72f69'}");
        assertThat(vox.model()).isEqualTo("suno_vox");
        assertThat(vox.upstreamPath()).isEqualTo("/suno/act/vox/29e72f69");

        SunoSubmit persona = post("/suno/persona/create", "{'root_clip_id':'82294225','name':'P','description':'d',"
                + "'clips':['54834687'],'is_public':true,'notify_hook':'https://h.example/'}");
        assertThat(persona.model()).isEqualTo("suno_persona");
        assertThat(persona.upstreamBody().has("notify_hook")).isFalse();
        assertRefused(refused("/suno/persona/create", "{'name':'P'}"), "missing_root_clip_id", "root_clip_id: missing");

        SunoSubmit tags = post("/suno/act/tags", "{'original_tags':'student'}");
        assertThat(tags.model()).isEqualTo("suno_style_tags");
        assertThat(tags.upstreamPath()).isEqualTo("/suno/act/tags");
        assertRefused(refused("/suno/act/tags", "{}"), "missing_original_tags");
    }

    @Test
    void malformedBodiesAreRefusedNamingTheBody() {
        GatewayException notJson = catchThrowableOfType(GatewayException.class,
                () -> SunoSubmit.parse("{\"prompt\":".getBytes(StandardCharsets.UTF_8)));
        assertRefused(notJson, "invalid_json", "body: not a JSON object");
        assertRefused(catchThrowableOfType(GatewayException.class, () -> SunoSubmit.parse("[1]".getBytes())),
                "invalid_json");
        assertRefused(catchThrowableOfType(GatewayException.class, () -> SunoSubmit.parse(new byte[0])), "invalid_json");
        assertThat(SunoSubmit.parse("{\"prompt\":\"x\"}".getBytes()).path("prompt").asString()).isEqualTo("x");
        assertRefused(refused("POST", "/suno/submit/lyrics", null), "invalid_json", "body: missing");
    }
}
