{#- The chart page's one script (inline, allowed by its hash): fits the preview's height, leaves empty
    fields out of the URL a form sends, and runs the copy buttons. The page works without it. -#}
(function(){
var frame=document.querySelector('iframe.preview');
addEventListener('message',function(m){
if(frame&&m.source===frame.contentWindow&&m.data&&m.data.type==='{{ message }}'){
frame.setAttribute('height',String(Math.ceil(m.data.height)+2));}});
var form=document.querySelector('form.view');
function fields(){return form?form.querySelectorAll('select,input'):[];}
if(form){form.addEventListener('submit',function(){
fields().forEach(function(f){if(!f.value){f.disabled=true;}});});}
addEventListener('pageshow',function(){fields().forEach(function(f){f.disabled=false;});});
document.querySelectorAll('button.copy').forEach(function(b){
var source=document.getElementById(b.getAttribute('data-copy'));
var status=document.getElementById(b.getAttribute('data-copy')+'-status');
b.hidden=false;
function done(){status.textContent=b.getAttribute('data-done');}
function fallback(){source.focus();source.select();document.execCommand('copy');done();}
b.addEventListener('click',function(){
if(navigator.clipboard&&navigator.clipboard.writeText){
navigator.clipboard.writeText(source.value).then(done,fallback);}else{fallback();}});});
})();
