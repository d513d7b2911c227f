"""A Plotly chart that redraws only when its own figure changed, styled for PatternFly.

Reflex's generated Plotly component merges the template into the figure on every render, so any
state change of the page (even "Show: Top 10") hands react-plotly a new figure object and every
chart on the page redraws. `MaasPlot` is a small React wrapper instead: memoised on the figure
(an unchanged state var keeps its object identity in the browser), config and template are
module constants. (PatternFly's dark theme recolours the charts' text and lines: assets/maas.css.)

The Plotly bundle is requested when the page's module loads, not when the first chart mounts
(which is after the data arrived), and the loaded component is shared by every chart.
"""

from __future__ import annotations

import json

import reflex as rx
from reflex_base.components.component import NoSSRComponent
from reflex_base.utils.imports import ImportVar

from maas_ui import charts

PLOTLY_BUNDLE = "plotly.js-basic-dist-min"

_MODULE_CODE = """
const maasPlotlyLoad = typeof window === "undefined" ? null
  : import("%(bundle)s").then((mod) => createPlotlyComponent(mod.default ?? mod));
let maasPlotlyComponent = null;
maasPlotlyLoad?.then((c) => { maasPlotlyComponent = c; });
const maasChartConfig = %(config)s;
const maasChartTemplate = %(template)s;
const MaasPlot = memo(function MaasPlot({figure}) {
  const [Plot, setPlot] = useState(() => maasPlotlyComponent);
  useEffect(() => { if (!Plot) maasPlotlyLoad.then((c) => setPlot(() => c)); }, []);
  const layout = useMemo(() => ({...(figure?.layout ?? {}), template: maasChartTemplate}), [figure]);
  const data = useMemo(() => figure?.data ?? [], [figure]);
  if (!Plot) return null;
  return jsx(Plot, {data, layout, config: maasChartConfig, useResizeHandler: true, style: {width: "100%%"}});
});
"""


class MaasPlot(NoSSRComponent):
    """`figure`: a Plotly figure dict (data + layout) from maas_ui.charts, held in a state var."""

    library = "react-plotly.js@4.1.0"
    lib_dependencies: list[str] = ["plotly.js-basic-dist-min@3.7.0"]
    tag = "MaasPlot"

    figure: rx.Var[dict]

    def add_imports(self):
        return {
            "react-plotly.js": [ImportVar(tag="createPlotlyComponent", is_default=True, package_path="/factory")],
            "react": [ImportVar(tag="memo"), ImportVar(tag="useMemo"), ImportVar(tag="useState"),
                      ImportVar(tag="useEffect")],
            "@emotion/react": [ImportVar(tag="jsx")],
        }

    def _get_dynamic_imports(self) -> str:
        # Module code (once per page module): the loader, the constants and the wrapper component.
        return _MODULE_CODE % {
            "bundle": PLOTLY_BUNDLE,
            "config": json.dumps(charts.CONFIG),
            "template": json.dumps(charts.TEMPLATE),
        }


def plot(figure: rx.Var, label: str) -> rx.Component:
    """A chart filling its card, named for assistive technology by `label`."""
    return rx.el.div(MaasPlot.create(figure=figure), role="img", aria_label=label, class_name="maas-chart")
