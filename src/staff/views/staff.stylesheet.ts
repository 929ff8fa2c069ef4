/**
 * The whole stylesheet (under 3 kB), served once and cached: no framework, readable on a 360-px phone,
 * large touch targets. The revealed number hides itself by CSS alone (no script needed).
 */
export function staffCss(revealSeconds: number): string {
  return `
*{box-sizing:border-box}
body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;background:#f6f6f4}
header{background:#263238;color:#fff;padding:.5rem .75rem;display:flex;flex-wrap:wrap;gap:.25rem .75rem;align-items:center}
header a,header button{color:#fff;font-size:.95rem}
header .who{margin-left:auto;font-size:.85rem;opacity:.85}
header form{display:inline}
header button{background:none;border:1px solid #fff8;border-radius:4px;padding:.2rem .5rem}
main{max-width:52rem;margin:0 auto;padding:.75rem}
h1{font-size:1.3rem;margin:.25rem 0 .75rem}
h2{font-size:1.1rem;margin:1.25rem 0 .5rem}
.card{background:#fff;border:1px solid #ddd;border-radius:6px;padding:.6rem .75rem;margin:.5rem 0}
.card a.title{display:block;font-weight:600;font-size:1.05rem;margin:.15rem 0}
.meta{color:#555;font-size:.9rem}
.tag{display:inline-block;border-radius:3px;padding:0 .35rem;font-size:.8rem;font-weight:600;margin-right:.25rem}
.urgent{background:#b71c1c;color:#fff}.now{background:#2e7d32;color:#fff}.later{background:#e0e0e0}
.banner{border-radius:6px;padding:.6rem .75rem;margin:.5rem 0;font-weight:600}
.warn{background:#fdecea;border:2px solid #b71c1c;color:#7f0000}
.ok{background:#e8f5e9;border:1px solid #2e7d32}
.info{background:#e3f2fd;border:1px solid #1565c0}
button,.button{font:inherit;font-weight:600;background:#1565c0;color:#fff;border:0;border-radius:6px;padding:.65rem 1rem;min-height:44px;cursor:pointer;text-decoration:none;display:inline-block}
button.secondary{background:#546e7a}button.danger{background:#b71c1c}
label{display:block;margin:.4rem 0 .15rem;font-weight:600}
input,select,textarea{font:inherit;width:100%;padding:.5rem;border:1px solid #999;border-radius:4px;background:#fff}
input[type=radio],input[type=checkbox]{width:auto;min-height:auto}
fieldset{border:1px solid #ccc;border-radius:6px;margin:.5rem 0}
.choice{display:flex;gap:.5rem;align-items:center;font-weight:400;margin:.35rem 0}
table{border-collapse:collapse;width:100%;font-size:.9rem;background:#fff}
td,th{border:1px solid #ddd;padding:.3rem .4rem;text-align:left;vertical-align:top}
.scroll{overflow-x:auto}
.number{font-size:2rem;font-weight:700;letter-spacing:.05em;animation:hide 0s linear ${revealSeconds}s forwards}
.number a{color:#0d47a1}
.gone{visibility:hidden;animation:show 0s linear ${revealSeconds}s forwards}
@keyframes hide{to{visibility:hidden}}
@keyframes show{to{visibility:visible}}
.script{white-space:pre-line;background:#fffde7;border:1px solid #f9a825;border-radius:6px;padding:.6rem .75rem}
.row{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}
audio{width:100%;margin:.25rem 0}
`;
}
