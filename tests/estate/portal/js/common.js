function addFavorite(){ try{ window.external.addFavorite(location.href, document.title); }catch(e){ alert("请使用Ctrl+D加入收藏"); } }
function toggleMenu(){ var m=document.getElementById("mMenu"); m.style.display = m.style.display=="none" ? "block" : "none"; }
