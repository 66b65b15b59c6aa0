import { useEffect, useRef } from 'react';
import { BarChart, HeatmapChart, LineChart, ScatterChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import type { EChartsCoreOption } from 'echarts/core';
import { PALETTE } from './palette';

// Only the chart types and parts the dashboard draws, so the bundle carries nothing else.
echarts.use([BarChart, LineChart, HeatmapChart, ScatterChart, GridComponent, TooltipComponent, LegendComponent, VisualMapComponent, MarkLineComponent, SVGRenderer]);

// A concrete font list: ECharts measures text on a canvas, where 'inherit' would mean 10px sans-serif.
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';


export interface ChartProps {
  option: EChartsCoreOption;
  /** what the chart shows, for people who cannot see it (also the test's handle) */
  label: string;
  height?: number;
  /** number of data points drawn: 0 draws the empty message instead of an empty frame */
  points: number;
  empty?: string;
  onClick?: (params: { dataIndex: number; seriesIndex: number; data: unknown; name: string }) => void;
}

/**
 * One ECharts chart, drawn as SVG, resized with its box and disposed with the component. The wrapper is
 * an image to assistive technology, named by `label`; every chart's numbers are also written out in
 * text or a table next to it by the page.
 */
export function Chart({ option, label, height = 260, points, empty, onClick }: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const click = useRef(onClick);
  click.current = onClick;

  useEffect(() => {
    if (!box.current || points === 0) return;
    const c = echarts.init(box.current, undefined, { renderer: 'svg' });
    chart.current = c;
    c.on('click', (p) => click.current?.(p as never));
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(box.current);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, [points === 0]);

  useEffect(() => {
    chart.current?.setOption({ color: PALETTE, animation: false, textStyle: { fontFamily: FONT }, ...option }, true);
  }, [option, points]);

  if (points === 0) return <p className="empty chart-empty">{empty ?? 'Nothing to draw yet.'}</p>;
  return <div className="chart" ref={box} role="img" aria-label={label} data-chart={label} data-points={points} style={{ height }} />;
}

export { echarts };
