// Ready-to-run snippets with this gateway's base URL filled in; the key is read from ANTLER_API_KEY.
import { html, useState } from '../lib.js';
import { t } from '../i18n.js';
import { CopyButton, Page } from '../ui.js';

function snippets(origin) {
  const v1 = origin + '/v1';
  return [
    { name: 'curl', code: `curl ${v1}/chat/completions \\
  -H "Authorization: Bearer $ANTLER_API_KEY" \\
  -H "Content-Type: application/json" \\
  -d '{"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hello"}]}'` },
    { name: 'Python (OpenAI SDK)', code: `# pip install openai
import os
from openai import OpenAI

client = OpenAI(base_url="${v1}", api_key=os.environ["ANTLER_API_KEY"])
answer = client.chat.completions.create(
    model="gpt-4o-mini", messages=[{"role": "user", "content": "Hello"}])
print(answer.choices[0].message.content)` },
    { name: 'Node (OpenAI SDK)', code: `// npm install openai
import OpenAI from "openai";

const client = new OpenAI({ baseURL: "${v1}", apiKey: process.env.ANTLER_API_KEY });
const answer = await client.chat.completions.create({
  model: "gpt-4o-mini", messages: [{ role: "user", content: "Hello" }] });
console.log(answer.choices[0].message.content);` },
    { name: 'Java (OpenAI SDK)', code: `// com.openai:openai-java
OpenAIClient client = OpenAIOkHttpClient.builder()
        .baseUrl("${v1}")
        .apiKey(System.getenv("ANTLER_API_KEY"))
        .build();
ChatCompletion answer = client.chat().completions().create(ChatCompletionCreateParams.builder()
        .model("gpt-4o-mini").addUserMessage("Hello").build());
System.out.println(answer.choices().get(0).message().content().orElse(""));` },
    { name: 'Python (Anthropic SDK)', code: `# pip install anthropic
import os
from anthropic import Anthropic

client = Anthropic(base_url="${origin}", api_key=os.environ["ANTLER_API_KEY"])
message = client.messages.create(
    model="claude-haiku-4-5", max_tokens=256, messages=[{"role": "user", "content": "Hello"}])
print(message.content[0].text)` },
  ];
}

export function Snippets() {
  const all = snippets(location.origin);
  const [chosen, setChosen] = useState(0);
  return html`<${Page} title=${t('Quick start')}>
    <p>${t('Base URL')}: <code data-test="base-url">${location.origin}/v1</code> <${CopyButton} text=${location.origin + '/v1'} /></p>
    <p class="muted">${t('Set ANTLER_API_KEY to one of your keys (create one under My keys), then run:')}</p>
    <div class="tabs">${all.map((s, i) => html`<button type="button" class=${i === chosen ? 'active' : ''}
      onClick=${() => setChosen(i)}>${s.name}</button>`)}</div>
    <div class="panel"><pre class="code" data-test="snippet">${all[chosen].code}</pre>
      <div class="actions"><${CopyButton} text=${all[chosen].code} /></div></div>
  <//>`;
}
