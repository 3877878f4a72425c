// A time-series chart (uPlot on a canvas) that follows its container's width.
import uPlot from '../vendor/uplot.esm.js';
import { html, useEffect, useRef } from './lib.js';
import { usd, usdTicks } from './format.js';

const COLORS = ['#2f7d64', '#c0572b', '#3b6fb6', '#8a5cc2'];

/**
 * times: epoch seconds; series: [{label, values}] of the same length as times. money: the values are USD, labelled
 * on the axis and in the legend with the decimals small amounts need.
 */
export function TimeChart({ times, series, money = false, height = 220 }) {
  const box = useRef(null);
  useEffect(() => {
    const element = box.current;
    if (!element || !times) return undefined;
    const options = {
      width: Math.max(element.clientWidth, 240),
      height,
      series: [{}, ...series.map((s, i) => ({ label: s.label, stroke: COLORS[i % COLORS.length], width: 2,
        fill: i === 0 ? 'rgba(47,125,100,0.08)' : undefined,
        value: money ? (u, v) => (v == null ? '--' : usd(v)) : undefined }))], // '--' as uPlot's own legend
      axes: [{}, money ? { size: 80, values: (u, ticks) => usdTicks(ticks) } : { size: 60 }],
      legend: { show: true },
    };
    const plot = new uPlot(options, [times, ...series.map((s) => s.values)], element);
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(element.clientWidth, 240), height }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [times, series, money, height]);
  return html`<div class="chart" ref=${box} data-test="chart"></div>`;
}
