# block
