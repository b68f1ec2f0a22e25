{#- The embed page's one script (inline, allowed by its hash): tells the parent page its height. -#}
(function(){var last=0;function post(){
var h=Math.ceil(document.documentElement.getBoundingClientRect().height);
if(h!==last&&window.parent!==window){last=h;window.parent.postMessage(
{type:'{{ message }}',chart:document.documentElement.getAttribute('data-chart'),height:h},'*');}}
window.addEventListener('load',post);window.addEventListener('resize',post);
if(window.ResizeObserver){new ResizeObserver(post).observe(document.body);}post();})();
