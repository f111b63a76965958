document.write('128');
