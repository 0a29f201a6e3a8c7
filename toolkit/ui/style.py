"""The app's look: one style sheet, injected once by :func:`toolkit.ui.app.build_app`.

Dark text on white cards over a light grey page (contrast ratios above 7:1 for
body text), one accent colour, and one breakpoint: under 640 px the cards lose
their side padding, rows wrap and the reference/clone pair stacks.
"""

__all__ = ["CSS"]

CSS = """
<style>
body, .jp-Notebook, .jp-Cell, .jp-OutputArea-output { background: #f3f5f8 !important; }
.vcl-app .jp-OutputArea, .vcl-app .jp-OutputArea-output, .vcl-app .jp-OutputArea-child {
  background: transparent !important; }
.vcl-app { max-width: 1000px; margin: 0 auto; padding: 8px 12px 40px; color: #1b2733; font-size: 15px;
           line-height: 1.45; box-sizing: border-box; width: 100%; }
.vcl-app * { box-sizing: border-box; }
.vcl-app .vcl-header h1 { font-size: 2em; margin: 0.3em 0 0.2em; color: #0f1c2e; }
.vcl-app .vcl-intro { margin: 0 0 0.6em; max-width: 62em; }
.vcl-app .vcl-consent { background: #fff7e0; color: #4a3100; border-left: 4px solid #b07d00; padding: 8px 12px;
                        border-radius: 4px; }
.vcl-app .vcl-card { background: #ffffff; border: 1px solid #d5dbe3; border-radius: 10px; padding: 10px 18px 16px;
                     margin: 14px 0 0; box-shadow: 0 1px 2px rgba(15, 28, 46, 0.06); overflow: hidden; }
.vcl-app .vcl-card-title { font-size: 1.25em; margin: 0.3em 0 0.5em; color: #0f1c2e; }
.vcl-app .vcl-num { display: inline-block; width: 1.6em; height: 1.6em; line-height: 1.6em; text-align: center;
                    border-radius: 50%; background: #1d4ed8; color: #ffffff; font-size: 0.85em; margin-right: 4px; }
.vcl-app .widget-html, .vcl-app .widget-html-content { color: #1b2733; font-size: 15px; }
.vcl-app .widget-label, .vcl-app label { color: #1b2733; font-size: 14px; }
.vcl-app .widget-hbox { flex-wrap: wrap; align-items: center; gap: 6px 8px; }
.vcl-app .jupyter-button { font-size: 14px; height: 34px; border-radius: 6px; }
.vcl-app .vcl-suggestion { background: #e8eefb; color: #16326b; }
.vcl-app .vcl-label { font-weight: 600; margin-right: 4px; }
.vcl-app .vcl-text { width: 100% !important; flex-wrap: wrap; }
.vcl-app .vcl-text label { width: 100% !important; max-width: 100% !important; text-align: left !important;
                           font-weight: 600; }
.vcl-app .vcl-text textarea { font-size: 15px; min-height: 84px; width: 100%; flex: 1 1 100%; }
.vcl-app .vcl-count { color: #4b5563; font-size: 13px; }
.vcl-app .vcl-counter { margin-top: 2px; }
.vcl-app .vcl-clone { font-size: 15px; font-weight: 600; padding: 0 18px; }
.vcl-app .vcl-stages { margin: 6px 0 0; padding-left: 0; list-style: none; }
.vcl-app .vcl-stage { margin: 2px 0; }
.vcl-app .vcl-stage-running .vcl-stage-icon { display: inline-block; animation: vcl-spin 1s linear infinite; }
@keyframes vcl-spin { to { transform: rotate(360deg); } }
.vcl-app .vcl-stage-detail { color: #4b5563; font-weight: normal; }
.vcl-app .vcl-pair { align-items: flex-start; gap: 12px; }
.vcl-app .vcl-column { flex: 1 1 300px; min-width: 0; }
.vcl-app .vcl-column audio, .vcl-app audio { width: 100%; max-width: 100%; }
.vcl-app .vcl-headline { font-weight: 600; margin-bottom: 6px; }
.vcl-app .vcl-hint { color: #4b5563; font-size: 13px; }
.vcl-app .vcl-download { display: inline-block; background: #166534; color: #ffffff !important; padding: 7px 14px;
                         border-radius: 6px; text-decoration: none; font-weight: 600; margin: 6px 0; }
.vcl-app .vcl-download:focus, .vcl-app .vcl-download:hover { background: #14532d; outline: 2px solid #0f1c2e; }
.vcl-app .vcl-history { border-collapse: collapse; font-size: 13px; margin-top: 8px; }
.vcl-app .vcl-history caption { text-align: left; font-weight: 600; }
.vcl-app .vcl-history td, .vcl-app .vcl-history th { border-bottom: 1px solid #e5e7eb; padding: 2px 8px; }
.vcl-app .vcl-report { max-width: 100%; }
.vcl-app .vcl-report td:last-child { min-width: 12em; }
.vcl-app .vcl-report-card img, .vcl-app .vcl-waveform img, .vcl-app .vcl-result-spectrogram,
.vcl-app .vcl-voice-map { max-width: 100%; height: auto; }
.vcl-app .vcl-tweak-section { margin-top: 14px; border-radius: 10px; }
.vcl-app .vcl-tweak-section .jupyter-widget-Collapse-header, .vcl-app .vcl-tweak-section .p-Collapse-header,
.vcl-app .vcl-tweak-section .lm-Collapse-header { background: #ffffff; color: #0f1c2e; font-weight: 600;
  font-size: 1.1em; padding: 10px 16px; }
.vcl-app .vcl-tweaker .widget-slider { width: 400px; max-width: 100%; }
.vcl-app .widget-slider { max-width: 100%; }
.vcl-app .vcl-map-row { align-items: flex-start; gap: 16px; }
@media (max-width: 640px) {
  .vcl-app { font-size: 14px; padding: 4px 6px 30px; }
  .vcl-app .vcl-header h1 { font-size: 1.6em; }
  .vcl-app .vcl-card { padding: 8px 10px 12px; border-radius: 8px; }
  .vcl-app .vcl-column { flex-basis: 100%; }
  .vcl-app .vcl-report { font-size: 0.9em; width: 100%; }
  .vcl-app .vcl-history { font-size: 12px; width: 100%; }
  .vcl-app .vcl-history td, .vcl-app .vcl-history th { padding: 2px 4px; }
  .vcl-app .vcl-report tr { display: grid; grid-template-columns: 1.8em 1fr auto; margin-bottom: 6px; }
  .vcl-app .vcl-report td:last-child { grid-column: 1 / -1; min-width: 0; }
  .vcl-app .widget-dropdown, .vcl-app .widget-slider { width: 100% !important; max-width: 100% !important; }
  .vcl-app .widget-dropdown select { min-width: 0; flex: 1 1 auto; }
  .vcl-app .vcl-tweaker .widget-vbox, .vcl-app .vcl-tweaker .widget-hbox > .widget-vbox { width: 100%; }
  .vcl-app .vcl-tweaker .widget-slider .widget-label { width: 132px !important; font-size: 13px; }
}
</style>
"""
