/**
 * A browsable reference of `/openapi.json`: a self-contained page (no CDN, no external script), so
 * it works behind any firewall. It lists every operation with its parameters, body and answers.
 */
export const REFERENCE_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>llmr API reference</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#1f2328}
h1{font-size:1.6rem}.op{border:1px solid #d0d7de;border-radius:6px;margin:1rem 0;padding:.5rem 1rem}
.m{font-weight:700;text-transform:uppercase;margin-right:.5rem}.get{color:#0969da}.post{color:#1a7f37}
code,pre{font:13px ui-monospace,monospace}pre{background:#f6f8fa;padding:.5rem;overflow:auto;max-height:24rem}
</style></head><body><h1>llmr API reference</h1><p>Source: <a href="openapi.json">openapi.json</a> (OpenAPI 3.1).</p>
<div id="ops">Loading…</div>
<script>
fetch("openapi.json").then(r=>r.json()).then(doc=>{
  const esc=s=>String(s).replace(/[&<>]/g,c=>({"&":"&amp;","<":"&lt;",">":"&gt;"}[c]));
  const out=[];
  for(const [path,item] of Object.entries(doc.paths)){
    for(const [method,op] of Object.entries(item)){
      const params=(op.parameters||[]).map(p=>"<li><code>"+esc(p.name)+"</code> ("+p.in+") "+esc(p.description||"")+"</li>").join("");
      const answers=Object.entries(op.responses).map(([c,r])=>"<li><b>"+c+"</b> "+esc(r.description)+"</li>").join("");
      const body=op.requestBody?"<details><summary>Request body</summary><pre>"+esc(JSON.stringify(doc.components.schemas.JobRequest,null,2))+"</pre></details>":"";
      out.push('<div class="op"><p><span class="m '+method+'">'+method+'</span><code>'+esc(path)+'</code> — '+esc(op.summary||"")+'</p>'+
        (params?"<p>Parameters</p><ul>"+params+"</ul>":"")+body+"<p>Answers</p><ul>"+answers+"</ul></div>");
    }
  }
  out.push('<details><summary>Job object</summary><pre>'+esc(JSON.stringify(doc.components.schemas.Job,null,2))+'</pre></details>');
  document.getElementById("ops").innerHTML=out.join("");
});
</script></body></html>`;
