// A text turn and an audio turn with the official openai SDK's realtime WebSocket client (openai/realtime/ws),
// unchanged: only the base URL and the key point at the gateway. One JSON line per finished turn on stdout.
// Usage: GATEWAY_BASE_URL=https://127.0.0.1:<port>/v1 GATEWAY_KEY=sk-... node turns.mjs
import OpenAI from 'openai';
import { OpenAIRealtimeWS } from 'openai/realtime/ws';

const client = new OpenAI({ baseURL: process.env.GATEWAY_BASE_URL, apiKey: process.env.GATEWAY_KEY });
const rt = new OpenAIRealtimeWS({ model: 'gpt-realtime' }, client);
const print = (line) => process.stdout.write(JSON.stringify(line) + '\n');
const next = (type) => new Promise((resolve) => rt.once(type, resolve));
setTimeout(() => { print({ failed: 'no end within 30 s' }); process.exit(3); }, 30_000).unref();
rt.on('error', (error) => { print({ failed: String(error.message) }); process.exit(2); });

function collect(deltaType) {
  const parts = [];
  const onDelta = (event) => parts.push(event.delta);
  rt.on(deltaType, onDelta);
  return next('response.done').then((done) => {
    rt.off(deltaType, onDelta);
    return { parts, done };
  });
}

rt.socket.on('open', async () => {
  await next('session.created');
  rt.send({ type: 'session.update', session: { type: 'realtime', output_modalities: ['text'] } });
  await next('session.updated');

  rt.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user',
    content: [{ type: 'input_text', text: 'Say hello.' }] } });
  const text = collect('response.output_text.delta');
  rt.send({ type: 'response.create' });
  const textTurn = await text;
  print({ turn: 'text', text: textTurn.parts.join(''), status: textTurn.done.response.status,
    usage: textTurn.done.response.usage });

  const silence = Buffer.alloc(4800).toString('base64'); // 100 ms of 24 kHz PCM16
  rt.send({ type: 'input_audio_buffer.append', audio: silence });
  rt.send({ type: 'input_audio_buffer.append', audio: silence });
  rt.send({ type: 'input_audio_buffer.commit' });
  await next('input_audio_buffer.committed');
  const audio = collect('response.output_audio.delta');
  rt.send({ type: 'response.create', response: { output_modalities: ['audio'] } });
  const audioTurn = await audio;
  print({ turn: 'audio', audioChunks: audioTurn.parts.length, status: audioTurn.done.response.status,
    usage: audioTurn.done.response.usage });

  rt.socket.on('close', (code) => { print({ closed: code }); process.exit(0); });
  rt.close();
});
