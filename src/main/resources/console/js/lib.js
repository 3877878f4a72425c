// One place that binds the vendored libraries: components are written as htm tagged templates (no build step).
import { h, render } from '../vendor/preact.module.js';
import { useState, useEffect, useRef, useCallback } from '../vendor/preact-hooks.module.js';
import htm from '../vendor/htm.module.js';

export const html = htm.bind(h);
export { render, useState, useEffect, useRef, useCallback };
