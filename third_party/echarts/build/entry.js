// The parts of Apache ECharts that whittle's report page uses
// (src/htmlreport/assets/report.js): a bar chart (the layers) and a treemap
// (the final filesystem), with their grid and tooltip, drawn by the SVG
// renderer. update.sh bundles this into ../echarts.min.js, whose global
// `echarts` has the one function the page calls, init. A page that needs
// another chart or component adds it here (docs/report.md).
import { use } from 'echarts/core';
import { BarChart, TreemapChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

use([BarChart, TreemapChart, GridComponent, TooltipComponent, SVGRenderer]);

export { init } from 'echarts/core';
